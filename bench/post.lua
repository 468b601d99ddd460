-- wrk script: POSTs the body in the file named second after `--` to the paths listed one per line
-- in the file named first, cycling through them.
local paths = {}
local body = ""
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  local f = io.open(args[2], "r")
  body = f:read("*a")
  f:close()
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("POST", paths[i], nil, body)
end

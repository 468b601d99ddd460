-- wrk script, for one thread: POSTs the requests listed one per line, `PATH<TAB>BODY`, in the file
-- named after `--`, each once and in order; once they run out, the thread stops. For writes that
-- must differ from one request to the next.
local requests = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    local tab = line:find("\t", 1, true)
    if tab then requests[#requests + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) } end
  end
end

function request()
  i = i + 1
  local r = requests[i]
  if r == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", r[1], nil, r[2])
end

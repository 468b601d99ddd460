"""The signed-in worker's caseload as the API lists it: what the benchmarks build their request
paths from (persons to open, readings to search for)."""
import json
import urllib.request

PAGE = 50


class Caseload:
    def __init__(self, base, session):
        self.base, self.session = base, session
        self.total = self.get("/api/v1/persons?page=1")["total"]
        self.pages = max(1, (self.total + PAGE - 1) // PAGE)

    def get(self, path):
        """A JSON answer of the API, with the session."""
        req = urllib.request.Request(self.base + path, headers={"Cookie": f"tsunagu_session={self.session}"})
        return json.load(urllib.request.urlopen(req))

    def page(self, n):
        """The persons of page `n`."""
        return self.get(f"/api/v1/persons?page={n}")["items"]

    def agency(self):
        """The worker's agency: the one every person on the caseload has an open case at."""
        common = None
        for item in self.page(1)[:5]:
            cases = self.get("/api/v1/persons/" + item["id"])["cases"]
            open_at = {c["agency_id"] for c in cases if not c.get("closed_on")}
            common = open_at if common is None else common & open_at
        if not common or len(common) != 1:
            raise SystemExit(f"cannot tell the worker's agency from the caseload: {common}")
        return common.pop()

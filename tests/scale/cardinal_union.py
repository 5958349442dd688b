#!/usr/bin/env python3
"""cardinal_union.py OUT.json...: the union of Cardinal output objects of
shards (each id's results merged; "Meta" must be the same in all), as
one JSON object with sorted keys; also normalises a single run's output
(given alone) for comparison."""
import json
import sys

out = {}
for path in sys.argv[1:]:
    with open(path) as f:
        d = json.load(f)
    for group, ids in d.items():
        if group == "Meta":
            if "Meta" in out and out["Meta"] != ids:
                sys.exit("%s: another Meta than the other shards'" % path)
            out["Meta"] = ids
            continue
        g = out.setdefault(group, {})
        for i, v in ids.items():
            g.setdefault(i, {}).update(v)
print(json.dumps(out, sort_keys=True))

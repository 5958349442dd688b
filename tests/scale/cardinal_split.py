#!/usr/bin/env python3
"""cardinal_split.py N IN PREFIX: cuts OCDS JSON Lines into N files
PREFIX-0.jsonl ... by a hash of each release's ocid (every release of an
ocid in one file), for the sharded Cardinal tests."""
import json
import sys
import zlib

n, src, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
outs = [open("%s-%d.jsonl" % (prefix, i), "w") for i in range(n)]
with open(src) as f:
    for line in f:
        try:
            ocid = str(json.loads(line).get("ocid", ""))
        except (ValueError, AttributeError):
            ocid = ""
        outs[zlib.crc32(ocid.encode()) % n].write(line)
for o in outs:
    o.close()

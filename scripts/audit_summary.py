"""Summarise a pip-audit JSON report honestly: how many packages were really checked.

pip-audit says "No known vulnerabilities found" even when it could not look a single
package up (an unreachable vulnerability service). This prints what was audited and what
was skipped, and fails when a vulnerability was found.
"""

import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
dependencies = report.get("dependencies", [])
skipped = [d for d in dependencies if d.get("skip_reason")]
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = len(dependencies) - len(skipped)
print(f"pip-audit: {audited} pakketten gecontroleerd, {len(skipped)} niet te controleren.")
if skipped and not audited:
    print("  Geen enkel pakket kon worden opgezocht: de kwetsbaarhedendienst is vanaf deze machine")
    print("  niet bereikbaar. Deze stap zegt hier dus niets; zie docs/operations.md.")
for dependency in vulnerable:
    ids = ", ".join(v["id"] for v in dependency["vulns"])
    print(f"  KWETSBAAR: {dependency['name']} {dependency['version']}: {ids}")
sys.exit(1 if vulnerable else 0)

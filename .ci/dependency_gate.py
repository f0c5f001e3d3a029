"""Judge pip-audit's JSON report: any known vulnerability fails CI.

pip-audit asks PyPI for each pinned version (``/pypi/NAME/VERSION/json``). Where that answer cannot be had
(a mirror that serves only ``/pypi/NAME/json``, as on the project's build machines), pip-audit skips the
package. This gate then falls back on the project-level answer, whose ``vulnerabilities`` concern the latest
release: a pin that is the latest release is audited that way; an older pin that could not be audited is
listed as a warning so that someone looks at it.
"""

import json
import re
import sys
import urllib.request

PYPI = "https://pypi.org/pypi/{name}/json"


def latest_release(name):
    with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310 - fixed https URL
        data = json.load(response)
    return data["info"]["version"], data.get("vulnerabilities") or []


def main(report_path):
    report = json.load(open(report_path, encoding="utf-8"))  # noqa: SIM115
    vulnerable, not_audited, audited, by_latest = [], [], 0, 0
    for dependency in report["dependencies"]:
        name = dependency["name"]
        if dependency.get("vulns"):
            vulnerable += [(name, dependency["version"], vuln["id"]) for vuln in dependency["vulns"]]
        elif "skip_reason" not in dependency:
            audited += 1
        else:
            match = re.search(r"\(([^()]+)\)$", dependency["skip_reason"])
            pinned = match.group(1) if match else "?"
            try:
                latest, vulns = latest_release(name)
            except OSError as error:
                not_audited.append(f"{name} {pinned}: {error}")
                continue
            if latest == pinned:
                by_latest += 1
                vulnerable += [(name, pinned, vuln["id"]) for vuln in vulns]
            else:
                not_audited.append(f"{name} {pinned} (latest is {latest})")
    total = len(report["dependencies"])
    print(f"dependency audit: {audited + by_latest} of {total} pinned packages audited ({by_latest} as latest release)")
    for line in not_audited:
        print(f"  WARNING not audited: {line}")
    for name, version, vuln_id in vulnerable:
        print(f"  VULNERABLE: {name} {version}: {vuln_id}")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Independent checks of hipcoach's golden export files (run by scripts/validate-exports).

Each check reads a file the way another program would and fails loudly, naming the file and
what is wrong. Nothing here shares code with hipcoach.
"""

import csv
import datetime
import json
import pathlib
import re
import subprocess
import sys

from fhir.resources.bundle import Bundle
import icalendar

SNOMED = "http://snomed.info/sct"
# FHIR R4 ObservationStatus (required binding); the models check types, not value sets.
OBSERVATION_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                      "entered-in-error", "unknown"}
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def fhir(path):
    bundle = Bundle.parse_file(path)  # every resource validated against the R4 (4.0.1) models
    check(bundle.type == "collection", f"{path.name}: Bundle.type is {bundle.type}")
    urls = {entry.fullUrl for entry in bundle.entry}
    check(len(urls) == len(bundle.entry), f"{path.name}: fullUrls are not unique")
    kinds = [entry.resource.resource_type for entry in bundle.entry]
    check(kinds.count("Patient") == 1, f"{path.name}: expected one Patient, got {kinds.count('Patient')}")
    for entry in bundle.entry:
        resource = entry.resource
        if resource.resource_type != "Observation":
            continue
        check(resource.status in OBSERVATION_STATUS, f"{path.name}: {resource.id} status {resource.status!r}")
        check(resource.subject.reference in urls, f"{path.name}: {resource.id} refers to a missing subject")
        if resource.id.startswith("hip-ir-"):
            site = resource.bodySite.coding[0]
            check(site.system == SNOMED and site.code.startswith("24136001:272741003="),
                  f"{path.name}: {resource.id} body site is not the SNOMED CT hip joint with laterality")
            position = [e for e in resource.extension or []
                        if e.url == "http://hl7.org/fhir/StructureDefinition/observation-bodyPosition"]
            check(position and position[0].valueCodeableConcept.coding[0].code in {"33586001", "1240000"},
                  f"{path.name}: {resource.id} has no coded test position")
            check(resource.valueQuantity.code == "deg", f"{path.name}: {resource.id} is not in degrees")
            check(resource.component and resource.component[0].valueQuantity.value > 0,
                  f"{path.name}: {resource.id} has no ±")
        elif resource.valueInteger is not None:
            check(0 <= resource.valueInteger <= 10, f"{path.name}: {resource.id} pain outside 0-10")
            check(resource.code.coding[0].code == "72514-3", f"{path.name}: {resource.id} pain not LOINC 72514-3")
    return f"{len(bundle.entry)} entries, FHIR R4 models accept every resource"


def ical(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    check(events, f"{path.name}: no events")
    uids = [str(event["UID"]) for event in events]
    check(len(set(uids)) == len(uids), f"{path.name}: UIDs repeat")
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        check(isinstance(start, datetime.datetime) and start.tzinfo is not None,
              f"{path.name}: {event['UID']} starts at a floating time")
        check(isinstance(end, datetime.datetime) and end.tzinfo is not None and start.tzinfo is not None
              and end > start, f"{path.name}: {event['UID']} does not end after it starts, in a time zone")
        check("RRULE" not in event, f"{path.name}: {event['UID']} repeats")
        check("sharp pain" in str(event.get("DESCRIPTION", "")), f"{path.name}: {event['UID']} lacks the stop rule")
    return f"{len(events)} events, parsed by icalendar {icalendar.__version__}"


def pdf(path, pages_dir):
    run("qpdf", "--check", str(path))
    info = run("pdfinfo", str(path))
    check(re.search(r"^Tagged:\s+yes", info, re.M), f"{path.name}: not a tagged PDF")
    check("A4" in info, f"{path.name}: not A4")
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    check(fonts and all(line.split()[-5] == "yes" for line in fonts), f"{path.name}: a font is not embedded")
    text = run("pdftotext", "-layout", str(path), "-")
    for words in ["Stop at once on sharp", "Hip internal rotation", "Session 1 of", "Steps", "Breathing",
                  "Common mistakes", "Take care", "not medical advice"]:
        check(words in text, f"{path.name}: the text lacks {words!r}")
    check("`" not in text, f"{path.name}: code formatting in the text")
    pages_dir.mkdir(parents=True, exist_ok=True)
    for old in pages_dir.glob("handout-*.png"):
        old.unlink()
    run("pdftoppm", "-r", "60", "-png", str(path), str(pages_dir / "handout"))
    return f"{pages} A4 pages, tagged, fonts embedded, qpdf finds no errors; pages in {pages_dir}"


def sessions_csv(path):
    rows = list(csv.DictReader(path.open(newline="")))
    check(rows, f"{path.name}: no rows")
    for row in rows:
        check(row["hip_pain"] == "" or row["hip_pain"].isdigit(), f"{path.name}: hip_pain {row['hip_pain']!r}")
        check(row["red_sign"] in {"", "sharp", "pinching", "catching-or-locking", "tingling-or-numbness"},
              f"{path.name}: red_sign {row['red_sign']!r}")
    return f"{len(rows)} rows"


def measurements_csv(path):
    rows = list(csv.DictReader(path.open(newline="")))
    check(rows, f"{path.name}: no rows")
    for row in rows:
        float(row["degrees"])
        check(row["measured_by"] != "", f"{path.name}: measured_by empty")
    return f"{len(rows)} rows"


def account(path):
    data = json.loads(path.read_text())
    check({"user", "sessions", "measurements"} <= data.keys(), f"{path.name}: missing parts")
    return f"{len(data['sessions'])} sessions, {len(data['measurements'])} measurements"


def main():
    golden, pages_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    for name, checker in [("hip.fhir.json", fhir), ("week.ics", ical), ("sessions.csv", sessions_csv),
                          ("measurements.csv", measurements_csv), ("account.json", account)]:
        print(f"{name}: {checker(golden / name)}")
    print(f"handout.pdf: {pdf(golden / 'handout.pdf', pages_dir)}")
    if problems:
        print("\n".join(["", "Problems:"] + problems), file=sys.stderr)
        sys.exit(1)
    print("every export passed its independent check")


if __name__ == "__main__":
    main()

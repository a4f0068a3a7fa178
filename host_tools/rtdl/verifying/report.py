"""What `rtdl verify` reports: findings (severity, code, message, location) per file, as text
or as the JSON `--json` prints."""

ERROR = "error"
WARNING = "warning"
NOTE = "note"

PROGRAM = "program"
LIBRARY = "library"


class UsageError(Exception):
    """A problem with the command line or an input that cannot be opened: exit status 2."""


class Finding:
    """One problem (or remark) about one file, as a compiler reports it."""

    def __init__(self, severity, code, message, location=None):
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location or {}

    def as_dict(self):
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "location": self.location}

    def __repr__(self):
        return "Finding(%s, %s, %r)" % (self.severity, self.code, self.message)


class Report:
    """What verify found about one file; `plan` is the dry-run load plan (a dictionary)."""

    def __init__(self, path, kind):
        self.path = path
        self.kind = kind
        self.findings = []
        self.plan = None
        self.show_plan = False
        self.base = None

    @property
    def ok(self):
        return not [f for f in self.findings if f.severity == ERROR]

    def add(self, severity, code, message, location=None):
        prefix = self.path + ": "
        if message.startswith(prefix):
            message = message[len(prefix):]
        self.findings.append(Finding(severity, code, message, location))

    def codes(self):
        return [f.code for f in self.findings if f.severity == ERROR]

    def as_dict(self):
        result = {"file": self.path, "kind": self.kind, "ok": self.ok,
                  "findings": [f.as_dict() for f in self.findings]}
        if self.plan is not None and self.show_plan:
            result["plan"] = self.plan
        return result



def report_text(report):
    return "".join(["%s: %s: %s\n" % (report.path, f.severity, f.message)
                    for f in report.findings])

#!/usr/bin/python3
"""Links and paths that stay inside the repository (ctest "docs: ...").

  check_links.py ROOT          check the project at ROOT; exit 1 listing every problem
  check_links.py --self-test   plant bad links and paths in a scratch tree and check that each is
                               reported (and that the good ones are not)

What is checked, in the project's files (git's tracked and untracked-but-not-ignored files; every
file under ROOT except build directories when ROOT is not a git work tree):

- every relative Markdown link or image, [text](target) and ![alt](target), and every reference
  definition, [label]: target, in every *.md file: the target, without its #anchor or ?query, must
  resolve (against the file's directory, or the project's root for /target) to a file or directory
  that exists inside ROOT. Links with a scheme (https:, mailto:) and bare #anchors are not checked;
  code spans and fenced code blocks are skipped.
- every path that climbs with ../ in a script (files under scripts/ and .ci/, and *.sh, *.py
  files): it must stay inside ROOT whether read from the script's directory or from the root (the
  scripts cd to the root).
- no Markdown file, script, scenario file or analysis script names the specification files that
  lived outside the project (docs/model.md and docs/arguments.md replace them).
"""

import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^()\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# A path token with a ../ in it ("../x", "scripts/../x"), up to quotes, spaces or brackets.
CLIMB = re.compile(r"[^\s'\"`()<>\[\]{},;=]*\.\./[^\s'\"`()<>\[\]{},;]*")
# Built from parts so that this file does not name them itself.
OUTSIDE_NAMES = re.compile(r"\b(" + "MODEL" + r"|" + "ARGUMENTS" + r")\.md\b")


def project_files(root):
    """Paths relative to root: git's tracked and untracked-but-not-ignored files, else a walk."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
        top = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if os.path.realpath(top) == os.path.realpath(root):
            files = sorted({f for f in out.decode().split("\0") if f})
            return [f for f in files if os.path.isfile(os.path.join(root, f))]
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".git") and not x.startswith("build"))
        files += [os.path.relpath(os.path.join(d, n), root) for n in sorted(names)]
    return files


def markdown_lines(text):
    """(line number, line) of the prose: fenced code blocks dropped, code spans blanked."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip()
        if fence is None and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        yield number, re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line)


def inside(root, path):
    root = os.path.realpath(root)
    path = os.path.realpath(path)
    return os.path.commonpath([root, path]) == root


def check_target(root, source, target):
    """A problem with the relative link `target` of file `source` (relative to root), or None."""
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    if not target or target.startswith("#") or SCHEME.match(target) or target.startswith("//"):
        return None
    path = urllib.parse.unquote(re.split(r"[#?]", target, maxsplit=1)[0])
    if not path:
        return None
    base = root if path.startswith("/") else os.path.join(root, os.path.dirname(source))
    resolved = os.path.normpath(os.path.join(base, path.lstrip("/")))
    if not inside(root, resolved):
        return f"link {target!r} leaves the repository"
    if not os.path.exists(resolved):
        return f"link {target!r} points to {os.path.relpath(resolved, root)}, which does not exist"
    return None


def is_script(f):
    return f.startswith("scripts/") or f.startswith(".ci/") or f.endswith(".sh") or f.endswith(".py")


def names_checked(f):
    return f.endswith(".md") or is_script(f) or (f.startswith("scenarios/") and f.endswith(".toml"))


def check(root):
    problems = []
    root = os.path.realpath(root)
    for f in project_files(root):
        path = os.path.join(root, f)
        if os.path.realpath(path) == os.path.realpath(__file__):
            continue  # this file's self-test plants bad links on purpose
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (UnicodeDecodeError, OSError):
            continue  # binary files (figures) have no links
        if f.endswith(".md"):
            for number, line in markdown_lines(text):
                targets = [m.group(1) for m in LINK.finditer(line)]
                m = REFERENCE.match(line)
                if m:
                    targets.append(m.group(1))
                for target in targets:
                    problem = check_target(root, f, target)
                    if problem:
                        problems.append(f"{f}:{number}: {problem}")
        if is_script(f):
            for number, line in enumerate(text.split("\n"), 1):
                for m in CLIMB.finditer(line):
                    climb = m.group(0)
                    for base in (os.path.join(root, os.path.dirname(f)), root):
                        if not inside(root, os.path.normpath(os.path.join(base, climb))):
                            problems.append(f"{f}:{number}: path {climb!r} leaves the repository")
                            break
        if names_checked(f):
            for number, line in enumerate(text.split("\n"), 1):
                for m in OUTSIDE_NAMES.finditer(line):
                    problems.append(f"{f}:{number}: names {m.group(0)}, which is not in the repository "
                                    "(docs/model.md and docs/arguments.md are)")
    return problems


def self_test():
    """Plants one of each problem in a scratch tree (not a git work tree) and checks the report."""
    with tempfile.TemporaryDirectory() as scratch:
        root = os.path.join(scratch, "project")
        files = {
            "README.md": "\n".join([
                "[good](docs/a.md) [good dir](docs/) [anchor](docs/a.md#part) [web](https://example.org/x)",
                "[only anchor](#top) ![figure](docs/fig.png \"title\") [rooted](/docs/a.md)",
                "[missing](docs/nothing.md)",                  # line 3
                "[outside](../shared/spec.md)",                # line 4
                "[ref]: ../outside.md",                        # line 5
                "`[in code](../nowhere.md)`",
                "```",
                "[in a fence](../nowhere.md)",
                "```",
                "[nested `code` text](docs/missing-too.md)",   # line 10
            ]),
            "docs/a.md": "[up and back](../README.md) [escapes](../../x.md)\n",   # line 1: one bad
            "docs/fig.png": "",
            "scripts/run": "cd \"$root\"\ncat scripts/../README.md\n# see ../shared/notes.txt\n",  # line 3
            "scenarios/x.toml": "# defaults of " + "MODEL" + ".md\n",
        }
        for name, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
            with open(os.path.join(root, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        found = check(root)
        expected = [
            "README.md:3: link 'docs/nothing.md' points to docs/nothing.md, which does not exist",
            "README.md:4: link '../shared/spec.md' leaves the repository",
            "README.md:5: link '../outside.md' leaves the repository",
            "README.md:10: link 'docs/missing-too.md' points to docs/missing-too.md, which does not exist",
            "docs/a.md:1: link '../../x.md' leaves the repository",
            "scenarios/x.toml:1: names " + "MODEL" + ".md, which is not in the repository "
            "(docs/model.md and docs/arguments.md are)",
            "scripts/run:3: path '../shared/notes.txt' leaves the repository",
        ]
        if sorted(found) != sorted(expected):
            print("self-test FAILED\nfound:\n  " + "\n  ".join(found) + "\nexpected:\n  " + "\n  ".join(expected),
                  file=sys.stderr)
            return 1
    print(f"self-test: the {len(expected)} planted problems were found, and nothing else")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} link(s) or path(s) leave the repository or point nowhere", file=sys.stderr)
        return 1
    print("every link and path stays inside the repository and exists")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

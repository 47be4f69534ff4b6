"""The course on disk: where it is, its exercises, their tests and their planted bugs.

```
course/
  README.md
  01-broadcasting/
    README.md          the idea, the maths, what to write, how it is graded
    exercise.json      {"title": ..., "module": "broadcasting", "time_limit": 20, ...}
    starter/           what `minikeras course start` hands out (with tests/)
    tests/             the public tests
    hidden/            the tests only the grader runs
  solutions/
    01-broadcasting/
      broadcasting.py  the reference solution
      bugs.py          planted bugs, for `minikeras course verify`
```

Everything here is read without running any of it: tests and their points come from
the test files' syntax trees, bugs from a literal in `bugs.py`. So listing the course
or deciding how many points a test is worth never executes course or student code.
"""
import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

EXERCISE_NAME = re.compile(r"^\d\d-[a-z0-9-]+$")
DEFAULT_TIME_LIMIT = 30.0
DEFAULT_MEMORY_MB = 2048


class CourseError(Exception):
    """Raised when the course material is missing or malformed."""


def course_root(explicit=None):
    """Finds the folder that holds the course.

    In order: `explicit`; the environment variable `MINIKERAS_COURSE_DIR`; the course
    installed with the package (`minikeras.course_material`); the `course` folder beside
    the package (a source checkout).

    # Arguments
        explicit: a folder, or `None`.

    # Returns
        A `Path`.

    # Raises
        CourseError: if no course folder is found.
    """
    for candidate in (explicit, os.environ.get("MINIKERAS_COURSE_DIR")):
        if candidate:
            path = Path(candidate)
            if not path.is_dir():
                raise CourseError(f"The course folder {path} does not exist.")
            return path
    installed = _installed_course()
    if installed is not None:
        return installed
    import minikeras
    beside = Path(minikeras.__file__).resolve().parent.parent / "course"
    if (beside / "README.md").is_file():
        return beside
    raise CourseError("No course found: it is neither installed with minikeras "
                      "(minikeras.course_material) nor beside it; set MINIKERAS_COURSE_DIR.")


def _installed_course():
    from importlib import resources
    try:
        files = resources.files("minikeras.course_material")
    except ModuleNotFoundError:
        return None
    path = Path(str(files))
    return path if (path / "README.md").is_file() else None


@dataclass(frozen=True)
class TestSpec:
    """A test as its file declares it.

    # Arguments
        name: the function's name, unique within the exercise.
        title: the first line of its docstring.
        points: what it is worth.
        time_limit: the seconds it may take.
        path: the test file.
        hidden: whether it is a hidden test.
    """

    name: str
    title: str
    points: float
    time_limit: float
    path: Path
    hidden: bool

    @property
    def visibility(self):
        """Gradescope's visibility: hidden tests show only once grades are published."""
        return "after_published" if self.hidden else "visible"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course.

    # Arguments
        name: the folder's name, such as `01-broadcasting`.
        folder: the exercise's folder.
        solutions: the folder of its reference solution.
        title: its title.
        module: the name of the file students write, without `.py`.
        time_limit: the default seconds per test.
        memory_mb: the memory limit of the process that runs its tests.
        startup_limit: the seconds allowed to start and import the student's file.
    """

    name: str
    folder: Path
    solutions: Path
    title: str
    module: str
    time_limit: float
    memory_mb: int
    startup_limit: float

    @property
    def starter(self):
        """The folder of starter files."""
        return self.folder / "starter"

    def test_files(self, hidden=True):
        """Returns the test files: the public ones, then (if asked) the hidden ones.

        # Arguments
            hidden: whether to include the hidden tests.

        # Returns
            A list of `Path`s.
        """
        files = sorted((self.folder / "tests").glob("test_*.py"))
        if hidden:
            files += sorted((self.folder / "hidden").glob("test_*.py"))
        return files

    def tests(self, hidden=True):
        """Returns the exercise's tests, in file order, read from the test files' source.

        # Arguments
            hidden: whether to include the hidden tests.

        # Returns
            A list of `TestSpec`.

        # Raises
            CourseError: if two tests share a name.
        """
        specs, seen = [], set()
        for path in self.test_files(hidden):
            for spec in read_test_specs(path, self.time_limit, path.parent.name == "hidden"):
                if spec.name in seen:
                    raise CourseError(f"{self.name}: two tests are named {spec.name}.")
                seen.add(spec.name)
                specs.append(spec)
        return specs

    def points(self, hidden=True):
        """Returns the total points of the exercise.

        # Arguments
            hidden: whether to count the hidden tests.

        # Returns
            A number.
        """
        return sum(spec.points for spec in self.tests(hidden))

    def bugs(self):
        """Returns the planted bugs of the reference solution (see `read_bugs`).

        # Returns
            A list of dicts with `name`, `file`, `old`, `new`.
        """
        return read_bugs(self.solutions / "bugs.py")


def exercises(root=None):
    """Lists the course's exercises, in teaching order.

    # Arguments
        root: the course folder, or `None` to find it (see `course_root`).

    # Returns
        A list of `Exercise`.

    # Raises
        CourseError: if an exercise's `exercise.json` is malformed.
    """
    root = course_root(root)
    found = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and EXERCISE_NAME.match(folder.name) and (
                folder / "exercise.json").is_file():
            found.append(_read_exercise(root, folder))
    return found


def _read_exercise(root, folder):
    try:
        meta = json.loads((folder / "exercise.json").read_text(encoding="utf-8"))
        return Exercise(
            name=folder.name, folder=folder, solutions=root / "solutions" / folder.name,
            title=str(meta["title"]), module=str(meta["module"]),
            time_limit=float(meta.get("time_limit", DEFAULT_TIME_LIMIT)),
            memory_mb=int(meta.get("memory_mb", DEFAULT_MEMORY_MB)),
            startup_limit=float(meta.get("startup_limit", 60)),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CourseError(f"{folder / 'exercise.json'} is malformed: {error!r}") from None


def find_exercise(name, root=None):
    """Finds an exercise by its full name, its number or its topic.

    `01-broadcasting`, `01`, `1` and `broadcasting` all name the first exercise.

    # Arguments
        name: what the user typed.
        root: the course folder, or `None` to find it.

    # Returns
        An `Exercise`.

    # Raises
        CourseError: if no exercise, or more than one, matches.
    """
    available = exercises(root)
    wanted = name.strip().lower()
    matches = [e for e in available if e.name == wanted]
    if not matches and wanted.isdigit():
        matches = [e for e in available if int(e.name[:2]) == int(wanted)]
    if not matches:
        matches = [e for e in available if e.name[3:] == wanted or e.name[3:].startswith(wanted)]
    if len(matches) != 1:
        names = ", ".join(e.name for e in available)
        problem = "matches several exercises" if matches else "matches no exercise"
        raise CourseError(f"{name!r} {problem}; the exercises are: {names}.")
    return matches[0]


def read_test_specs(path, default_time_limit, hidden):
    """Reads the tests of a file from its syntax tree, without running it.

    A test is a top-level function whose name starts with `test_`; `@points(n)` or
    `@points(n, time_limit=s)` gives its points and time limit (1 point by default).

    # Arguments
        path: the test file.
        default_time_limit: the time limit of tests that do not set one.
        hidden: whether the file holds hidden tests.

    # Returns
        A list of `TestSpec`, in the file's order.

    # Raises
        CourseError: if the file does not parse, or `points` is not given plain numbers.
    """
    path = Path(path)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as error:
        raise CourseError(f"The test file {path} does not parse: {error}") from None
    specs = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            points, time_limit = _points_of(node, path)
            docstring = ast.get_docstring(node) or node.name
            specs.append(TestSpec(node.name, docstring.strip().splitlines()[0], points,
                                  time_limit or default_time_limit, path, hidden))
    return specs


def _points_of(function, path):
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        callee = decorator.func
        name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", None)
        if name != "points":
            continue
        try:
            points = ast.literal_eval(decorator.args[0])
            time_limit = ast.literal_eval(decorator.args[1]) if len(decorator.args) > 1 else None
            for keyword in decorator.keywords:
                if keyword.arg == "time_limit":
                    time_limit = ast.literal_eval(keyword.value)
        except (ValueError, IndexError):
            raise CourseError(f"{path}: @points of {function.name} must be given plain "
                              "numbers.") from None
        return float(points), (float(time_limit) if time_limit is not None else None)
    return 1.0, None


def read_bugs(path):
    """Reads the planted bugs of a solution: the literal list `BUGS` in a `bugs.py` file.

    Each bug is a dict with `name`, `file` (relative to the solution folder), `old` (text
    that occurs exactly once in that file) and `new` (what replaces it). The file is
    read as a literal, never run.

    # Arguments
        path: the `bugs.py` file.

    # Returns
        A list of dicts (empty if the file does not exist).

    # Raises
        CourseError: if the file does not hold a literal list of well-formed bugs.
    """
    path = Path(path)
    if not path.is_file():
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "BUGS" for t in node.targets):
            try:
                bugs = ast.literal_eval(node.value)
            except ValueError:
                raise CourseError(f"{path}: BUGS must be a literal list of dicts.") from None
            for bug in bugs:
                missing = {"name", "file", "old", "new"} - set(bug)
                if missing:
                    raise CourseError(f"{path}: bug {bug.get('name')!r} lacks {sorted(missing)}.")
            return bugs
    raise CourseError(f"{path} has no BUGS list.")

"""`python -m minikeras.grader` runs the `minikeras course` commands."""
from minikeras.grader.cli import course

if __name__ == "__main__":
    course(prog_name="minikeras course")

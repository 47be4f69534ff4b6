"""The `minikeras` command line (floor 8): demos, prediction, summaries and the course."""
import click


@click.group()
@click.version_option(package_name="minikeras")
def main():
    """minikeras: a small deep-learning library with the Keras API."""


@main.group()
def demo():
    """Train a demo classifier end to end."""


@demo.command("cars-vs-trucks")
def cars_vs_trucks():
    """Train a CNN that tells cars from trucks."""
    click.echo("The cars-vs-trucks demo is not built yet (issue 7).")


if __name__ == "__main__":
    main()

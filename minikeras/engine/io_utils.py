"""Writing files without ever losing one: write to a temporary file, then rename it.

Every file minikeras writes (models, pictures, data sets, submissions) goes through
`write_atomically`, so a failed or interrupted write never destroys the file it was
replacing, and no reader ever sees a half-written file.
"""
import contextlib
import os
import secrets


@contextlib.contextmanager
def write_atomically(path):
    """Gives a temporary path beside `path` to write to, and renames it to `path` after.

    The rename happens only if the block ends without an error; in every case the
    temporary file is gone afterwards. A rename within one folder is atomic: `path`
    holds either its old content or the whole new one.

    # Arguments
        path: the file to write, a string or path-like; its folder must exist.

    # Yields
        The temporary path, a string in the same folder, hidden (it starts with a dot)
        and ending with `path`'s extension (writers such as `np.savez` add one to a name
        without it).
    """
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    extension = os.path.splitext(name)[1]
    # A random part, so two writers of the same file never share a temporary file.
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp{extension}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)

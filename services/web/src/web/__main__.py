"""`python -m web` serves the pages; `python -m web create-user --username U --role admin`
creates a user (the first admin), the password read from standard input or a prompt."""

import sys

from web.cli import main

main(sys.argv[1:])

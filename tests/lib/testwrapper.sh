#!/bin/sh
# LOG_COMPILER for test binaries: VALGRIND=valgrind make check runs each
# under valgrind with errors fatal; otherwise the test runs as it is.
if [ -n "$VALGRIND" ]; then
	exec $VALGRIND --quiet --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$@"
fi
exec "$@"

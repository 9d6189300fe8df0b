dnl PW_PLUGIN(NAME, DEPS-FOUND, HELP)
dnl --enable-NAME (dashes for underscores): auto by default, which builds
dnl the plugin when its libraries are there; "yes" makes missing libraries
dnl an error; "no" skips it.  Defines the automake conditional BUILD_NAME
dnl (upper case) and appends a line to the configure summary.
AC_DEFUN([PW_PLUGIN], [
	m4_pushdef([pw_opt], m4_translit([$1], [_], [-]))
	m4_pushdef([pw_cond], [BUILD_]m4_toupper([$1]))
	AC_ARG_ENABLE(pw_opt,
		[AS_HELP_STRING([--enable-]pw_opt, [$3 @<:@auto@:>@])],
		[pw_want="$enableval"], [pw_want=auto])
	pw_build=no
	AS_CASE(["$pw_want"],
		[no], [pw_build=no],
		[yes], [AS_IF([test "x$2" = xyes], [pw_build=yes],
			[AC_MSG_ERROR([--enable-]pw_opt[ was given but its libraries are missing])])],
		[AS_IF([test "x$2" = xyes], [pw_build=yes])])
	AM_CONDITIONAL(pw_cond, [test "x$pw_build" = xyes])
	pw_plugin_summary="$pw_plugin_summary    m4_format([%-18s], [$1]) $pw_build
"
	AS_IF([test "x$pw_build" = xyes],
		[pw_enabled_plugins="$pw_enabled_plugins $1"])
	m4_popdef([pw_cond])
	m4_popdef([pw_opt])
])

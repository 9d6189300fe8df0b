/* confdefs.h */
#define PACKAGE_NAME "poolwall"
#define PACKAGE_TARNAME "poolwall"
#define PACKAGE_VERSION "0.1.0"
#define PACKAGE_STRING "poolwall 0.1.0"
#define PACKAGE_BUGREPORT ""
#define PACKAGE_URL ""
#define PACKAGE "poolwall"
#define VERSION "0.1.0"
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_STRINGS_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define STDC_HEADERS 1
#define HAVE_DLFCN_H 1
#define LT_OBJDIR ".libs/"
#define _GNU_SOURCE 1
#define HAVE_MKOSTEMP 1
#define HAVE_GETRANDOM 1
#define PW_PSL_FILE "/usr/share/publicsuffix/public_suffix_list.dafsa"
#define PW_ENABLED_PLUGINS " feed_hosts feed_adblock feed_domains feed_netset feed_text feed_ioc output_ioc output_hosts output_domains"

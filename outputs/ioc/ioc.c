/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <poolwall/plugin.h>

const struct pw_plugin poolwall_plugin = {
	.abi = PW_PLUGIN_ABI,
	.size = sizeof(struct pw_plugin),
	.name = "ioc",
	.kind = PW_OUTPUT,
};

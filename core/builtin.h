/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_BUILTIN_H
#define PW_BUILTIN_H
#endif

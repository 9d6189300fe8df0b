/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_LOADER_H
#define PW_LOADER_H
#endif

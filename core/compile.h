/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_COMPILE_H
#define PW_COMPILE_H
#endif

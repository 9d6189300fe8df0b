/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_HOST_H
#define PW_HOST_H
#endif

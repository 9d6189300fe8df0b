/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_LOG_H
#define PW_LOG_H
#endif

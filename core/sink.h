/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_SINK_H
#define PW_SINK_H
#endif

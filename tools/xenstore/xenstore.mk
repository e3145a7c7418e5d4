# xenstored: the core (tools/xenstore/core, portable C), built into dom0
# with its dom0 side (tools/xenstore/dom0, see tools/xl/xl.mk) and, here,
# for the host:
#
#   $(XSD_HOST)   build/tools/xenstored-host: the core as a daemon on a
#                 Unix socket (tools/xenstore/host), which Debian's
#                 xenstore-utils reach through XENSTORED_PATH
#   $(XSBENCH)    build/tools/xsbench: xenstored's throughput on the host
#                 (tools/bench/xsbench.c), run by make bench
#
# The host build uses the C library (PARAVANE_HOST_TEST switches
# <paravane/string.h> and <paravane/errno.h> to it) and Debian's
# /usr/include/xen.

XSD_CORE_SRCS := $(wildcard tools/xenstore/core/*.c)
XSD_HOST_BUILD := $(BUILD)/tools/xenstored
XSD_HOST := $(BUILD)/tools/xenstored-host
XSD_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wmissing-prototypes -DPARAVANE_HOST_TEST \
	-Iinclude -Itools/include -MMD -MP
XSD_HOST_OBJS := $(patsubst %,$(XSD_HOST_BUILD)/%.o,$(XSD_CORE_SRCS) \
	tools/xenstore/host/xenstored.c)

$(XSD_HOST_BUILD)/%.c.o: %.c Makefile tools/xenstore/xenstore.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(XSD_HOST_CFLAGS) -c -o $@ $<

$(XSD_HOST): $(XSD_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) -o $@ $^

XSBENCH := $(BUILD)/tools/xsbench
XSBENCH_OBJS := $(patsubst %,$(XSD_HOST_BUILD)/%.o,$(XSD_CORE_SRCS) \
	tools/bench/xsbench.c)

$(XSBENCH): $(XSBENCH_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(CC) -o $@ $^

.PHONY: xenstored-host
xenstored-host: $(XSD_HOST) $(XSBENCH)
all: xenstored-host

# dom0's toolstack: the control library (tools/ctrl), the xl commands and
# the dom0 program (tools/xl), the demo domU and dom0's ramdisk.
#
#   $(DOM0_ELF)       build/pvguest/dom0.elf: pvguest + toolstack, run as dom0
#   $(DOM0_RAMDISK)   build/dom0/ramdisk.cpio: /etc/xl/*.cfg, /boot/*.elf
#   $(PINGPONG_ELF)   the demo domU (pvguest/apps/pingpong.c)
#   $(ECHO_ELF)       a domU that answers on its console (pvguest/apps/echo.c)
#
# Everything that includes <xen/domctl.h> or <xen/sysctl.h> is built with
# __XEN_TOOLS__, which those headers require; tools/include holds the
# toolstack's headers (<ctrl/...>), drivers-back/include the backends'
# (<back/...>).

TOOLS_CFLAGS := -D__XEN_TOOLS__ -Itools/include -Idrivers-back/include
$(PVG_OBJ)/tools/ctrl/%.c.o $(PVG_OBJ)/tools/xl/%.c.o \
$(PVG_OBJ)/tools/xenstore/%.c.o $(PVG_OBJ)/drivers-back/%.c.o: \
	PVG_CFLAGS += $(TOOLS_CFLAGS)

CTRL_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,$(wildcard tools/ctrl/*.c))
XL_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,$(wildcard tools/xl/*.c))
# dom0's services: the backends (also linked into the toolstack tests)
# and xenstored (its core and its dom0 side; tools/xenstore/host is the
# same core as a host daemon).
BACKEND_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,$(wildcard drivers-back/*/*.c))
DOM0_SERVICE_OBJS := $(BACKEND_OBJS) $(patsubst %,$(PVG_OBJ)/%.o,$(wildcard \
	tools/xenstore/core/*.c tools/xenstore/dom0/*.c))
.SECONDARY: $(CTRL_OBJS) $(XL_OBJS) $(DOM0_SERVICE_OBJS)

DOM0_ELF := $(PVG_BUILD)/dom0.elf
PINGPONG_ELF := $(PVG_BUILD)/pingpong.elf
ECHO_ELF := $(PVG_BUILD)/echo.elf
DOM0_BUILD := $(BUILD)/dom0
DOM0_RAMDISK := $(DOM0_BUILD)/ramdisk.cpio

$(DOM0_ELF): $(XL_OBJS) $(CTRL_OBJS) $(DOM0_SERVICE_OBJS) $(PVG_LINK_DEPS)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$(XL_OBJS) $(CTRL_OBJS) $(DOM0_SERVICE_OBJS))

$(PINGPONG_ELF): $(PVG_OBJ)/pvguest/apps/pingpong.c.o $(PVG_LINK_DEPS)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$<)

$(ECHO_ELF): $(PVG_OBJ)/pvguest/apps/echo.c.o $(PVG_LINK_DEPS)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$<)

# Kernels go into ramdisks without their debug information.
$(BUILD)/stripped/%.elf: $(PVG_BUILD)/%.elf
	@mkdir -p $(dir $@)
	$(Q)$(OBJCOPY) --strip-debug $< $@

# dom0's ramdisk: the demo configs, autostarted from /etc/xl/auto (links,
# as Xen's /etc/xen/auto holds), and the kernels they name.
DOM0_CFGS := $(wildcard tools/xl/etc/*.cfg)
DOM0_AUTO := demo-a demo-b
DOM0_RAMDISK_FILES := $(BUILD)/stripped/pingpong.elf \
	$(BUILD)/stripped/echo.elf $(DOM0_CFGS)

$(DOM0_RAMDISK): $(DOM0_RAMDISK_FILES) tools/mkramdisk.py tools/xl/xl.mk
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	$(Q)tools/mkramdisk.py $@ \
		/boot/pingpong.elf=$(BUILD)/stripped/pingpong.elf \
		/boot/echo.elf=$(BUILD)/stripped/echo.elf \
		$(foreach c,$(DOM0_CFGS),/etc/xl/$(notdir $(c))=$(c)) \
		$(foreach a,$(DOM0_AUTO),/etc/xl/auto/$(a).cfg@=../$(a).cfg)

.PHONY: dom0
dom0: $(DOM0_ELF) $(DOM0_RAMDISK)
all: dom0

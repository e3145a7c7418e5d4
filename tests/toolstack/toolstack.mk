# Toolstack tests: dom0 kernels (the conformance harness's TEST cases,
# linked with dom0's control library) that build and watch domUs taken
# from a ramdisk, on Paravane and on Xen 4.17.
#
#   make test-toolstack        the kernels as dom0 of Paravane
#   make test-toolstack-xen    the kernels as dom0 of Xen 4.17
#
# tests/toolstack/<kernel>.c is a kernel, linked with dom0's control
# library and backends; lib/ its helpers; guests/ the domUs it builds
# (guests/<name>.c becomes /boot/<name>.elf in the ramdisk,
# $(TS_RAMDISK), which every kernel gets as its module, with hello.elf
# and echo.elf).

TS_BUILD := $(BUILD)/tests/toolstack
TS_KERNELS := $(basename $(notdir $(wildcard tests/toolstack/*.c)))
TS_ELFS := $(TS_KERNELS:%=$(TS_BUILD)/%.elf)
TS_GUESTS := $(basename $(notdir $(wildcard tests/toolstack/guests/*.c)))
TS_GUEST_ELFS := $(TS_GUESTS:%=$(TS_BUILD)/guests/%.elf)
TS_LIB_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,$(wildcard tests/toolstack/lib/*.c))
TS_RAMDISK := $(TS_BUILD)/ramdisk.cpio

$(PVG_OBJ)/tests/toolstack/%.c.o: PVG_CFLAGS += $(TOOLS_CFLAGS) \
	-Itests/conformance -Itests/toolstack

$(TS_BUILD)/%.elf: $(PVG_OBJ)/tests/toolstack/%.c.o $(TS_LIB_OBJS) \
		$(CONF_HARNESS_OBJS) $(CTRL_OBJS) $(BACKEND_OBJS) $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$< $(TS_LIB_OBJS) $(CONF_HARNESS_OBJS) \
		$(CTRL_OBJS) $(BACKEND_OBJS))

# The xenstore and xenbus kernels also run dom0's xenstored
# (tools/xenstore), whose in-process transport gives dom0 xenbus.
TS_XENSTORE_OBJS := $(filter $(PVG_OBJ)/tools/xenstore/%,$(DOM0_SERVICE_OBJS))
TS_XENSTORE_ELFS := $(TS_BUILD)/xenstore.elf $(TS_BUILD)/xenbus.elf
$(TS_XENSTORE_ELFS): $(TS_BUILD)/%.elf: $(PVG_OBJ)/tests/toolstack/%.c.o \
		$(TS_LIB_OBJS) $(CONF_HARNESS_OBJS) $(CTRL_OBJS) \
		$(TS_XENSTORE_OBJS) $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$< $(TS_LIB_OBJS) $(CONF_HARNESS_OBJS) \
		$(CTRL_OBJS) $(TS_XENSTORE_OBJS))

$(TS_BUILD)/guests/%.elf: $(PVG_OBJ)/tests/toolstack/guests/%.c.o \
		$(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$<)
	$(Q)$(OBJCOPY) --strip-debug $@

.SECONDARY: $(TS_LIB_OBJS) $(TS_KERNELS:%=$(PVG_OBJ)/tests/toolstack/%.c.o) \
	$(TS_GUESTS:%=$(PVG_OBJ)/tests/toolstack/guests/%.c.o)

# Besides the guests: files the builder must refuse.
$(TS_BUILD)/bad.elf:
	@mkdir -p $(dir $@)
	$(Q)printf 'not an ELF image at all\n' > $@

$(TS_BUILD)/truncated.elf: $(TS_BUILD)/guests/probe.elf
	$(Q)head -c 2000 $< > $@

$(TS_RAMDISK): $(TS_GUEST_ELFS) $(TS_BUILD)/bad.elf \
		$(TS_BUILD)/truncated.elf tools/mkramdisk.py tests/toolstack/toolstack.mk
	@echo "  CPIO    $@"
	$(Q)tools/mkramdisk.py $@ \
		$(foreach g,$(TS_GUESTS),/boot/$(g).elf=$(TS_BUILD)/guests/$(g).elf) \
		/boot/bad.elf=$(TS_BUILD)/bad.elf \
		/boot/truncated.elf=$(TS_BUILD)/truncated.elf \
		/boot/hello.elf=$(BUILD)/stripped/hello.elf \
		/boot/echo.elf=$(BUILD)/stripped/echo.elf

$(TS_RAMDISK): $(BUILD)/stripped/hello.elf $(BUILD)/stripped/echo.elf

.PHONY: toolstack-tests test-toolstack test-toolstack-xen
toolstack-tests: $(TS_ELFS) $(TS_RAMDISK)
all: toolstack-tests

# With the kernels, dom0 itself runs once (run.py --xl): dom0.elf and
# the integration ramdisk (tests/tests.mk).
TS_XL_DEPS := $(DOM0_ELF) $(BUILD)/tests/integration/ramdisk.cpio

test-toolstack: $(HV_ELF) $(TS_ELFS) $(TS_RAMDISK) $(TS_XL_DEPS)
	@python3 tests/toolstack/run.py --xl --build $(BUILD) $(TS_ELFS)

test-toolstack-xen: $(TS_ELFS) $(TS_RAMDISK) $(TS_XL_DEPS)
	@python3 tests/toolstack/run.py --xl --xen --build $(BUILD) $(TS_ELFS)

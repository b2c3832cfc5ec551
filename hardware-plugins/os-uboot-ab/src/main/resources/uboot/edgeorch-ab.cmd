# Edge Orchestrator A/B boot selection for U-Boot, after RAUC's boot script example.
# The update agent (UbootAbBootloader) keeps these variables in the U-Boot environment:
#   BOOT_ORDER    slots in order of preference, "A B" or "B A"
#   BOOT_X_LEFT   boots left for slot X; the script spends one per boot, the agent restores 3 after a
#                 healthy boot, 1 arms a single trial, 0 marks the slot bad
# Unlike RAUC's example, a boot that finds no slot does not reset the counters (that would boot a slot
# marked bad again): the script stops at the U-Boot prompt.
# Compile with: mkimage -A arm -T script -C none -d edgeorch-ab.cmd boot.scr
# Adapt the load commands and root devices to the board.

test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 3

setenv raucslot
for BOOT_SLOT in "${BOOT_ORDER}"; do
  if test "x${raucslot}" != "x"; then
    # a slot is chosen: skip the rest
  elif test "x${BOOT_SLOT}" = "xA"; then
    if test 0x${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      echo "edgeorch: booting slot A, ${BOOT_A_LEFT} tries left"
      setenv raucslot A
    fi
  elif test "x${BOOT_SLOT}" = "xB"; then
    if test 0x${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      echo "edgeorch: booting slot B, ${BOOT_B_LEFT} tries left"
      setenv raucslot B
    fi
  fi
done

# saveenv also stores raucslot, the slot chosen last: the environment shows it, nothing reads it.
if test -n "${raucslot}"; then
  saveenv
else
  echo "edgeorch: no bootable slot (BOOT_ORDER=${BOOT_ORDER} BOOT_A_LEFT=${BOOT_A_LEFT} BOOT_B_LEFT=${BOOT_B_LEFT})"
  exit
fi

if test "${raucslot}" = "A"; then setenv bootpart 2; else setenv bootpart 3; fi
setenv bootargs "${bootargs_extra} root=/dev/mmcblk0p${bootpart} rootwait rauc.slot=${raucslot}"
load mmc 0:${bootpart} ${kernel_addr_r} /boot/zImage
load mmc 0:${bootpart} ${fdt_addr_r} /boot/${fdtfile}
bootz ${kernel_addr_r} - ${fdt_addr_r}

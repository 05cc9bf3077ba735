#!/usr/bin/env bash
# Makes the OVA (macula-os-VERSION-amd64.ova) from the raw installed-disk image: an OVF 1.0
# descriptor, its manifest (SHA-256 of each file) and the disk as a streamOptimized VMDK, in
# a tar in that order, as VirtualBox and VMware import it. The virtual machine it declares:
# BIOS firmware (the disk boots under UEFI too), 2 vCPUs, 2 GiB of memory, the disk on a SATA
# (AHCI) controller, one E1000 NIC on NAT.
#
# usage: images/make-ova.sh IMG OUT.ova
set -euo pipefail

(($# == 2)) || { echo "usage: make-ova.sh IMG OUT.ova" >&2; exit 2; }
img=$1 out=$2
name=$(basename "$out" .ova)
work=$(mktemp -d "$(dirname "$out")/ova.XXXXXX")
trap 'rm -rf "$work"' EXIT
vmdk="$name-disk1.vmdk"
qemu-img convert -f raw -O vmdk -o subformat=streamOptimized "$img" "$work/$vmdk"
capacity=$(stat -c %s "$img")
vmdk_bytes=$(stat -c %s "$work/$vmdk")

cat >"$work/$name.ovf" <<OVF
<?xml version="1.0" encoding="UTF-8"?>
<Envelope ovf:version="1.0" xml:lang="en-US"
    xmlns="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:id="file1" ovf:href="$vmdk" ovf:size="$vmdk_bytes"/>
  </References>
  <DiskSection>
    <Info>The virtual disk: MaculaOS installed, slot A filled; it grows into a larger disk at first boot</Info>
    <Disk ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:capacity="$capacity" ovf:capacityAllocationUnits="byte"
          ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <NetworkSection>
    <Info>The logical networks</Info>
    <Network ovf:name="NAT">
      <Description>NAT</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="$name">
    <Info>MaculaOS, an immutable Linux OS for edge nodes that run k3s</Info>
    <Name>$name</Name>
    <OperatingSystemSection ovf:id="96">
      <Info>The guest operating system</Info>
      <Description>Debian_64</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>The virtual hardware</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>$name</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:Caption>2 virtual CPUs</rasd:Caption>
        <rasd:ElementName>2 virtual CPUs</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>2</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits>
        <rasd:Caption>2048 MB of memory</rasd:Caption>
        <rasd:ElementName>2048 MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>2048</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Caption>sataController0</rasd:Caption>
        <rasd:ElementName>sataController0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>AHCI</rasd:ResourceSubType>
        <rasd:ResourceType>20</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:Caption>disk1</rasd:Caption>
        <rasd:ElementName>disk1</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Caption>Ethernet adapter on NAT</rasd:Caption>
        <rasd:Connection>NAT</rasd:Connection>
        <rasd:ElementName>Ethernet adapter on NAT</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>E1000</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
OVF

(cd "$work" && for f in "$name.ovf" "$vmdk"; do echo "SHA256($f)= $(sha256sum "$f" | cut -d' ' -f1)"; done >"$name.mf")
# the descriptor first: importers read it before the disk
tar -cf "$work/$name.ova.partial" --format=ustar -C "$work" "$name.ovf" "$name.mf" "$vmdk"
mv "$work/$name.ova.partial" "$out"
echo "ova: $out ($(du -h "$out" | cut -f1))"

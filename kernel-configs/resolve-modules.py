#!/usr/bin/env python3
"""Copies the initramfs's kernel modules and writes their index, in load order.

usage: resolve-modules.py MODULE_ROOT KVER STAGING LIST... [on-demand:LIST...]

MODULE_ROOT/lib/modules/KVER is the kernel's module tree (with depmod's modules.dep,
modules.softdep, modules.alias and modules.builtin). Every module the LISTs name, and everything
those depend on, is copied to STAGING/lib/modules/KVER/<same relative path>, and two files are
written beside them for the PID 1, which loads modules with finit_module and has no modprobe:

  STAGING/lib/modules/maculaos.modules  NAME<TAB>PATH<TAB>DEP,DEP (or -), every module after
                                        its deps; PATH is relative to lib/modules/KVER
  STAGING/lib/modules/maculaos.load     the names the LISTs give (in list order): what to load
  STAGING/lib/modules/maculaos.NAME     for each on-demand:DIR/NAME.list, its names: shipped
                                        with their deps, loaded by the PID 1 only when it
                                        needs them (maculaos.watchdog on a trial boot)

A module's deps are modules.dep's, plus the `pre:` soft dependencies of modules.softdep (ext4
needs crc32c before it, and nothing in the initramfs would load it on the kernel's request).
A soft dependency may name an alias that several modules provide (crypto-crc32c: crc32c_intel
and crc32c_generic); a module that only loads on some CPUs (it has a cpu: alias) is left out
when a portable one is there, as it would fail under QEMU's default CPU.
"""
import fnmatch
import os
import shutil
import sys
from dataclasses import dataclass, field


def module_name(path_or_name):
    """kernel/drivers/usb/storage/usb-storage.ko -> usb_storage (the kernel's own spelling)."""
    base = os.path.basename(path_or_name)
    for suffix in (".ko", ".ko.xz", ".ko.zst", ".ko.gz"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base.replace("-", "_")


@dataclass
class Kernel:
    """What depmod knows about a kernel's modules, by module name."""
    paths: dict                                       # name -> path relative to lib/modules/KVER
    deps: dict                                        # name -> [names], from modules.dep
    softdeps: dict = field(default_factory=dict)      # name -> [`pre:` names or aliases]
    aliases: list = field(default_factory=list)       # [(pattern, name)], from modules.alias
    builtin: set = field(default_factory=set)         # names built into the kernel image
    cpu_specific: set = field(default_factory=set)    # names with a cpu: alias


@dataclass
class Resolution:
    order: list      # every module to ship, each after all its deps
    deps: dict       # name -> [names] it needs first (hard and soft)
    load: list       # the listed names that are modules, in list order
    notes: list      # why a listed or soft-dependency name was left out


def _providers(kernel, soft):
    """The modules a softdep name stands for: the module itself, or what its alias matches.
    Like modprobe, '-' and '_' are the same in names and aliases."""
    name = soft.replace("-", "_")
    if name in kernel.paths:
        return [name]
    matches = [m for pattern, m in kernel.aliases
               if m in kernel.paths and fnmatch.fnmatchcase(name, pattern.replace("-", "_"))]
    matches = list(dict.fromkeys(matches))
    portable = [m for m in matches if m not in kernel.cpu_specific]
    return portable or matches


def _needs(kernel, name, notes):
    """A module's hard deps, then its `pre:` soft deps resolved to module names."""
    needs = list(kernel.deps.get(name, []))
    for soft in kernel.softdeps.get(name, []):
        providers = _providers(kernel, soft)
        if not providers and soft.replace("-", "_") not in kernel.builtin:
            notes.append(f"{name}: soft dependency {soft} matches no module, skipped")
        needs += [p for p in providers if p != name]
    return list(dict.fromkeys(needs))


def resolve(kernel, wanted):
    """The closure of the wanted names over deps and pre-softdeps, in dependency order."""
    notes, load = [], []
    for name in dict.fromkeys(module_name(w) for w in wanted):
        if name in kernel.paths:
            load.append(name)
        elif name in kernel.builtin:
            notes.append(f"{name}: built into the kernel, skipped")
        else:
            notes.append(f"{name}: no such module in this kernel, skipped")

    order, deps, state = [], {}, {}  # state: "visiting" while on the DFS stack, then "done"

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ValueError("module dependency cycle: " + " -> ".join(chain + [name]))
        state[name] = "visiting"
        deps[name] = _needs(kernel, name, notes)
        for dep in deps[name]:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(name)

    for name in load:
        visit(name, [])
    return Resolution(order=order, deps=deps, load=load, notes=notes)


def index_lines(kernel, resolution):
    return [f"{n}\t{kernel.paths[n]}\t{','.join(resolution.deps[n]) or '-'}"
            for n in resolution.order]


# ---- I/O: depmod's files in, the staging tree out ----

def read_lines(path):
    with open(path) as f:
        return [line.strip() for line in f]


def read_kernel(moddir):
    paths, deps = {}, {}
    for line in read_lines(os.path.join(moddir, "modules.dep")):
        if not line:
            continue
        path, _, rest = line.partition(":")
        paths[module_name(path)] = path
        deps[module_name(path)] = [module_name(d) for d in rest.split()]
    softdeps = {}
    for line in read_lines(os.path.join(moddir, "modules.softdep")):
        words = line.split()
        if len(words) < 3 or words[0] != "softdep" or "pre:" not in words:
            continue
        pre = words[words.index("pre:") + 1:]
        if "post:" in pre:
            pre = pre[: pre.index("post:")]
        softdeps.setdefault(module_name(words[1]), []).extend(pre)
    aliases, cpu_specific = [], set()
    for line in read_lines(os.path.join(moddir, "modules.alias")):
        words = line.split()
        if len(words) == 3 and words[0] == "alias":
            aliases.append((words[1], words[2]))
            if words[1].startswith("cpu:"):
                cpu_specific.add(words[2])
    builtin = {module_name(p) for p in read_lines(os.path.join(moddir, "modules.builtin")) if p}
    return Kernel(paths, deps, softdeps, aliases, builtin, cpu_specific)


def read_lists(list_files):
    names = []
    for path in list_files:
        for line in read_lines(path):
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names


ON_DEMAND = "on-demand:"


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__.split("\n\n")[1])
    module_root, kver, staging, lists = argv[1], argv[2], argv[3], argv[4:]
    at_boot = [path for path in lists if not path.startswith(ON_DEMAND)]
    on_demand = [path[len(ON_DEMAND):] for path in lists if path.startswith(ON_DEMAND)]
    moddir = os.path.join(module_root, "lib", "modules", kver)
    kernel = read_kernel(moddir)
    resolution = resolve(kernel, read_lists(at_boot) + read_lists(on_demand))
    shipped = set(resolution.load)
    boot_names = [module_name(n) for n in read_lists(at_boot)]
    for note in resolution.notes:
        print(f"resolve-modules: {note}", file=sys.stderr)
    out = os.path.join(staging, "lib", "modules")
    for name in resolution.order:
        target = os.path.join(out, kver, kernel.paths[name])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(moddir, kernel.paths[name]), target)
    with open(os.path.join(out, "maculaos.modules"), "w") as f:
        f.writelines(line + "\n" for line in index_lines(kernel, resolution))
    with open(os.path.join(out, "maculaos.load"), "w") as f:
        f.writelines(name + "\n" for name in dict.fromkeys(boot_names) if name in shipped)
    for path in on_demand:
        stem = os.path.basename(path).removesuffix(".list")
        with open(os.path.join(out, f"maculaos.{stem}"), "w") as f:
            f.writelines(name + "\n" for name in dict.fromkeys(module_name(n) for n in read_lists([path]))
                         if name in shipped)
    print(f"resolve-modules: {len(resolution.order)} modules ({len(resolution.load)} listed)")


if __name__ == "__main__":
    main(sys.argv)

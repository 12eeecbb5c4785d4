#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""flatpak/<app id>.json agrees with the meson project.

Checks: the manifest parses; its id is the project's app id (given by meson,
and the name of the desktop file in data/ when there is one); it runs on the
GNOME runtime with the matching SDK; its command is an executable the project
installs into bindir (and the one the desktop file starts); the last module is
okno itself, built with meson from the source tree; every other module builds
a library the project really depends on (per meson's introspection) and that
the GNOME runtime does not already have; finish-args stay minimal.

usage: check_flatpak.py SOURCE_ROOT BUILD_ROOT APP_ID
"""
import glob
import json
import os
import re
import sys

# flatpak module name -> the pkg-config name meson asks for.
MODULE_PROVIDES = {
    'libsoup': 'libsoup-3.0', 'libsoup3': 'libsoup-3.0',
    'json-glib': 'json-glib-1.0',
    'libsecret': 'libsecret-1',
    'sqlite': 'sqlite3', 'sqlite3': 'sqlite3',
    'libadwaita': 'libadwaita-1',
    'libxcrypt': 'libxcrypt',
    'gtk': 'gtk4', 'gtk4': 'gtk4',
    'yajl': 'yajl',
}
# Libraries org.gnome.Platform (or its freedesktop base) ships; a module
# building one of these again is dead weight.
IN_GNOME_RUNTIME = {'glib-2.0', 'gobject-2.0', 'gio-2.0', 'gtk4', 'libadwaita-1',
                    'libsoup-3.0', 'json-glib-1.0', 'libsecret-1', 'sqlite3',
                    'libxcrypt'}
ALLOWED_FINISH_ARGS = {'--share=network', '--share=ipc', '--socket=wayland',
                       '--socket=fallback-x11', '--device=dri',
                       '--talk-name=org.freedesktop.secrets'}


def main():
    src, build, app_id = sys.argv[1:4]
    problems = []

    def check(ok, message):
        if not ok:
            problems.append(message)

    path = os.path.join(src, 'flatpak', app_id + '.json')
    check(os.path.exists(path), f'flatpak/{app_id}.json is missing')
    if problems:
        print('\n'.join(problems))
        return 1
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)

    manifest_id = manifest.get('id') or manifest.get('app-id')
    check(manifest_id == app_id, f'manifest id {manifest_id!r} is not the app id {app_id!r}')
    desktops = [os.path.basename(p) for p in glob.glob(os.path.join(src, 'data', '*.desktop*'))]
    for name in desktops:
        check(name.startswith(app_id + '.desktop'),
              f'data/{name} is not named after the app id {app_id}')
    check(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is not org.gnome.Platform')
    check(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is not org.gnome.Sdk')
    check(re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))) is not None,
          'runtime-version is not a stable GNOME release number')

    # The command: an executable meson installs into bindir.
    with open(os.path.join(build, 'meson-info', 'intro-installed.json'), encoding='utf-8') as f:
        installed = json.load(f).values()
    with open(os.path.join(build, 'meson-info', 'intro-buildoptions.json'), encoding='utf-8') as f:
        options = {o['name']: o['value'] for o in json.load(f)}
    bindir = os.path.join(options['prefix'], options['bindir'])
    programs = {os.path.basename(p) for p in installed if os.path.dirname(p) == bindir}
    command = manifest.get('command')
    check(command in programs,
          f'command {command!r} is not an installed program (bindir has {sorted(programs)})')
    for name in glob.glob(os.path.join(src, 'data', '*.desktop*')):
        with open(name, encoding='utf-8') as f:
            m = re.search(r'^Exec=(\S+)', f.read(), re.M)
        if m:
            check(os.path.basename(m.group(1)) in (command, '@BINARY@', '@binary@', '@EXEC@'),
                  f'{os.path.basename(name)} starts {m.group(1)}, the manifest {command}')

    # Modules: okno last, built with meson from this tree.
    modules = manifest.get('modules', [])
    check(len(modules) >= 1, 'no modules')
    if modules:
        last = modules[-1]
        check(isinstance(last, dict) and last.get('name') == 'okno', 'the last module is not okno')
        check(last.get('buildsystem') == 'meson', 'okno is not built with meson')
        sources = last.get('sources', [])
        check(any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources),
              'okno is not built from the source tree (type dir, path "..")')
    with open(os.path.join(build, 'meson-info', 'intro-dependencies.json'), encoding='utf-8') as f:
        deps = {d['name'] for d in json.load(f)}
    for module in modules[:-1]:
        name = module.get('name') if isinstance(module, dict) else str(module)
        need = MODULE_PROVIDES.get(name)
        check(need is not None and need in deps,
              f'module {name!r} builds nothing the project depends on ({sorted(deps)})')
        check(need not in IN_GNOME_RUNTIME,
              f'module {name!r} rebuilds {need}, which org.gnome.Platform already has')

    finish = manifest.get('finish-args', [])
    for arg in finish:
        check(arg in ALLOWED_FINISH_ARGS, f'finish-arg {arg} is more than Okno needs')
    for arg in ('--share=network', '--socket=wayland', '--socket=fallback-x11'):
        check(arg in finish, f'finish-args lack {arg}')

    for p in problems:
        print(p)
    print(f'{len(modules)} modules, command {command!r}, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { VpcError } from '../util/errors.js';

/** How to invoke a target, as a profile says it, and how that was found. */
export interface Entry {
  command: string[];
  env: Record<string, string>;
  /** Names the tool calls itself in its usage texts. */
  progNames: string[];
  /** Files whose text may hold usage lines or `case` labels. */
  sourceFiles: string[];
  how: string;
}

const CANDIDATE_FILES = ['bin/vpcctl', 'vpcctl', 'vpcctl.py', 'vpcctl.sh', 'bin/vpcctl.py', 'bin/vpcctl.sh'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function language(path: string): 'python' | 'bash' | 'node' | 'binary' | undefined {
  const head = readFileSync(path).subarray(0, 200).toString('utf8');
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
  if (shebang) {
    const interp = basename(shebang[1] === '/usr/bin/env' ? (shebang[2] ?? '') : (shebang[1] ?? ''));
    if (/^python/.test(interp)) return 'python';
    if (/^(ba|da)?sh$/.test(interp)) return 'bash';
    if (/^node/.test(interp)) return 'node';
  }
  if (/\.py$/.test(path) || /^\s*(import|from)\s+\w+/m.test(head)) return 'python';
  if (/\.sh$/.test(path) || /^\s*(set -|function |\w+\(\)\s*\{)/m.test(head)) return 'bash';
  if (head.startsWith('\x7fELF')) return 'binary';
  return undefined;
}

const INTERPRETER = { python: 'python3', bash: 'bash', node: 'node' } as const;

function fileEntry(dir: string, rel: string, how: string): Entry {
  const path = join(dir, rel);
  const lang = language(path);
  const runnable =
    executable(path) && (lang !== undefined || readFileSync(path).subarray(0, 2).toString() === '#!');
  const command =
    runnable || lang === 'binary' || lang === undefined
      ? [`{dir}/${rel}`]
      : [INTERPRETER[lang], `{dir}/${rel}`];
  const why = runnable ? 'executable with a shebang' : `no exec bit: run with ${command[0]} (its language)`;
  return {
    command,
    env: lang === 'python' ? { PYTHONUNBUFFERED: '1' } : {},
    progNames: [basename(rel), basename(rel).replace(/\.(py|sh)$/, ''), rel],
    sourceFiles: [path],
    how: `${how}: ${rel} (${why})`,
  };
}

/** `[project.scripts] name = "pkg.module:func"` of a pyproject.toml. */
function pyprojectScript(dir: string): { name: string; module: string; func: string } | undefined {
  const file = join(dir, 'pyproject.toml');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const section = /\[project\.scripts\]\s*\n([\s\S]*?)(?:\n\[|$)/.exec(text);
  const line = section && /^\s*"?([\w.-]+)"?\s*=\s*"([\w.]+):(\w+)"/m.exec(section[1] as string);
  return line ? { name: line[1] as string, module: line[2] as string, func: line[3] as string } : undefined;
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (depth < 3 && !name.startsWith('.') && name !== '__pycache__') walk(p, depth + 1);
      } else if (name.endsWith('.py')) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

/** The file a Makefile's install target copies to a bin directory. */
function makefileInstall(dir: string): string | undefined {
  const file = join(dir, 'Makefile');
  if (!existsSync(file)) return undefined;
  const recipe = /^install:.*\n((?:\t.*\n?)*)/m.exec(readFileSync(file, 'utf8'));
  const m =
    recipe && /(?:install|cp)\s+(?:-\S+\s+(?:\d+\s+)?)*([\w./-]+)\s+\S*bin\S*/.exec(recipe[1] as string);
  const src = m?.[1];
  return src && existsSync(join(dir, src)) ? src : undefined;
}

/** Find how to run the tool in `dir` (throws E_NOT_FOUND when nothing looks like an entry point). */
export function findEntry(dir: string): Entry {
  const script = pyprojectScript(dir);
  if (script) {
    const pkg = script.module.split('.')[0] as string;
    const srcDir = existsSync(join(dir, 'src', pkg)) ? 'src' : '.';
    const pkgDir = join(dir, srcDir, pkg);
    const hasMain = existsSync(join(pkgDir, '__main__.py'));
    const command = hasMain
      ? ['python3', '-m', pkg]
      : [
          'python3',
          '-c',
          `import sys; from ${script.module} import ${script.func}; sys.exit(${script.func}())`,
        ];
    return {
      command,
      env: { PYTHONPATH: srcDir === '.' ? '{dir}' : `{dir}/${srcDir}`, PYTHONUNBUFFERED: '1' },
      progNames: [script.name, pkg, '-m'],
      sourceFiles: existsSync(pkgDir) ? pythonFiles(pkgDir) : [],
      how: `pyproject.toml [project.scripts] ${script.name} = ${script.module}:${script.func} (${hasMain ? `python3 -m ${pkg}` : 'its function'}, PYTHONPATH=${srcDir})`,
    };
  }
  for (const rel of CANDIDATE_FILES) {
    if (existsSync(join(dir, rel)) && statSync(join(dir, rel)).isFile())
      return fileEntry(dir, rel, 'entry point');
  }
  const installed = makefileInstall(dir);
  if (installed) return fileEntry(dir, installed, 'Makefile install target');
  const scripts = readdirSync(dir).filter((n) => /\.(py|sh)$/.test(n) && statSync(join(dir, n)).isFile());
  if (scripts.length === 1) return fileEntry(dir, scripts[0] as string, 'the only script');
  throw new VpcError('E_NOT_FOUND', `no entry point found in ${dir}`, {
    hint: `looked for ${CANDIDATE_FILES.join(', ')}, pyproject [project.scripts], a Makefile install target and a single *.py/*.sh; found ${scripts.length} scripts (${scripts.map((s) => relative(dir, join(dir, s))).join(', ') || 'none'}): write the profile by hand (docs/profiles.md)`,
  });
}

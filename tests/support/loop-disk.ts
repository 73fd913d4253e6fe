/**
 * A real ext4 disk for one test: an image file on a loop device, mounted with
 * `errors=remount-ro`. `breakDisk()` raises a filesystem error through ext4's
 * own test hook, so the kernel forces the mount read-only under a running
 * server (EROFS on every write, the way a failing disk goes) and drops every
 * write it had not yet put on the disk, as a power cut would. `repair()` is
 * what an administrator does afterwards: unmount, e2fsck, mount again.
 * Needs root, loop devices and e2fsprogs (as in CI); without them it throws
 * with what is missing, so the test fails instead of silently passing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDataDir } from './server.js';

export interface LoopDisk {
  /** Where the filesystem is mounted. */
  mountPoint: string;
  /** The kernel makes the filesystem read-only at once, as after a disk error. */
  breakDisk(): void;
  /** Unmounts (once nothing holds it), checks with e2fsck and mounts again, writable. */
  repair(): Promise<void>;
  /** Whether the mount is writable right now, as the kernel reports it. */
  writable(): boolean;
  destroy(): void;
}

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function mountOptions(mountPoint: string): string[] {
  const line = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .find((entry) => entry.split(' ')[1] === mountPoint);
  return line?.split(' ')[3]?.split(',') ?? [];
}

export function createLoopDisk(sizeMiB = 64): LoopDisk {
  if (process.getuid?.() !== 0) {
    throw new Error('this test needs root: it mounts an ext4 image on a loop device (CI runs as root)');
  }
  const work = tempDataDir();
  const image = path.join(work, 'disk.img');
  const mountPoint = path.join(work, 'mnt');
  fs.mkdirSync(mountPoint);
  fs.writeFileSync(image, '');
  fs.truncateSync(image, sizeMiB * 1024 * 1024);
  let device = '';
  try {
    run('mkfs.ext4', ['-q', '-F', image]);
    device = run('losetup', ['--find', '--show', image]);
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    throw new Error(
      `cannot make a loop-device disk here (needs mkfs.ext4 from e2fsprogs, losetup and /dev/loop*): ${String(error)}`,
    );
  }
  const mount = () => run('mount', ['-t', 'ext4', '-o', 'errors=remount-ro', device, mountPoint]);
  const errorHook = `/sys/fs/ext4/${path.basename(device)}/trigger_fs_error`;

  const disk: LoopDisk = {
    mountPoint,
    breakDisk() {
      fs.writeFileSync(errorHook, 'kaptar test: disk error\n');
    },
    async repair() {
      // The server lets go of its files when the disk refuses writes; until it has, umount says busy.
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          run('umount', [mountPoint]);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`the disk stayed busy: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      try {
        run('e2fsck', ['-f', '-y', device]);
      } catch (error) {
        // Exit status 1 means "errors corrected", which is what we expect after a forced error.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      mount();
    },
    writable() {
      const options = mountOptions(mountPoint);
      return options.includes('rw') && !options.includes('emergency_ro');
    },
    destroy() {
      if (mountOptions(mountPoint).length > 0) run('umount', ['--lazy', mountPoint]);
      if (device) run('losetup', ['--detach', device]);
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
  try {
    mount();
    if (!fs.existsSync(errorHook))
      throw new Error(`this kernel has no ${errorHook}: cannot make the disk fail`);
  } catch (error) {
    disk.destroy();
    throw error;
  }
  return disk;
}

using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The few Unix calls a config file write needs that netstandard2.0 lacks: the owner, group and mode
    /// of a file, links resolved, chown/chmod, a temp file created private (0600), who this process is.
    /// Only called on Unix (callers check <see cref="IsUnix"/>); nothing here is loaded on Windows.
    /// </summary>
    /// <remarks>
    /// Calls whose C types differ between systems (struct stat, open's variadic mode and its flag values,
    /// mode_t) go through the .NET runtime's own libSystem.Native, which every .NET Core 3+ runtime has
    /// and which gives them one layout everywhere; the rest are plain libc functions with the same
    /// signature on Linux (glibc, musl) and macOS.
    /// </remarks>
    internal static class Posix
    {
        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public const int EPERM = 1, ENOENT = 2, EACCES = 13, EROFS = 30;
        public const int W_OK = 2;
        private const int S_IFMT = 0xF000, S_IFLNK = 0xA000;

        /// <summary>What stat(2) tells of a file: permission bits (07777), owner, group, whether it is a symbolic link (lstat).</summary>
        public struct Status
        {
            public int Mode;
            public uint Uid;
            public uint Gid;
            public bool IsLink;
        }

        // libSystem.Native's FileStatus starts with int32 Flags, int32 Mode, uint32 Uid, uint32 Gid in every
        // .NET Core 3+ release; the buffer is far larger than the whole struct has ever been.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int SystemNative_Stat(string path, byte[] status);
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int SystemNative_LStat(string path, byte[] status);
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ChMod", SetLastError = true)]
        private static extern int SystemNative_ChMod(string path, int mode);
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true)]
        private static extern IntPtr SystemNative_Open(string path, int flags, int mode);

        // libSystem.Native's own open flags (pal_io.h), the same on every system.
        private const int PAL_O_WRONLY = 0x1, PAL_O_CLOEXEC = 0x10, PAL_O_CREAT = 0x20, PAL_O_EXCL = 0x40;

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);
        [DllImport("libc", EntryPoint = "free")]
        private static extern void free(IntPtr p);
        [DllImport("libc", EntryPoint = "access", SetLastError = true)]
        private static extern int access(string path, int mode);
        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        private static extern int chown(string path, uint uid, uint gid);
        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint geteuid();
        [DllImport("libc", EntryPoint = "getegid")]
        private static extern uint getegid();
        [DllImport("libc", EntryPoint = "getgroups", SetLastError = true)]
        private static extern int getgroups(int size, uint[] list);
        [DllImport("libc", EntryPoint = "getpwuid_r")]
        private static extern int getpwuid_r(uint uid, IntPtr pwd, IntPtr buf, UIntPtr buflen, out IntPtr result);
        [DllImport("libc", EntryPoint = "getgrgid_r")]
        private static extern int getgrgid_r(uint gid, IntPtr grp, IntPtr buf, UIntPtr buflen, out IntPtr result);

        // On Unix a FileStream takes flock() even to read, so a lock's description is read with plain open/read.
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int open(string path, int flags);
        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern IntPtr read(int fd, byte[] buf, IntPtr count);
        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int close(int fd);

        private static int Errno => Marshal.GetLastWin32Error();

        /// <summary>stat (links followed) or lstat (the link itself); errno when it fails.</summary>
        public static bool TryStat(string path, bool link, out Status status, out int errno)
        {
            var buf = new byte[512];
            int r = link ? SystemNative_LStat(path, buf) : SystemNative_Stat(path, buf);
            errno = r == 0 ? 0 : Errno;
            int mode = BitConverter.ToInt32(buf, 4);
            status = r != 0 ? default(Status) : new Status
            {
                Mode = mode & 0xFFF,
                Uid = BitConverter.ToUInt32(buf, 8),
                Gid = BitConverter.ToUInt32(buf, 12),
                IsLink = (mode & S_IFMT) == S_IFLNK,
            };
            return r == 0;
        }

        /// <summary>The canonical path: every symbolic link (chains, relative targets, linked folders) resolved; null when it can't be (e.g. a dangling link).</summary>
        public static string RealPath(string path)
        {
            var p = realpath(path, IntPtr.Zero);
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringAnsi(p); } // UTF-8 on Unix
            finally { free(p); }
        }

        /// <summary>0 when this process may write path, else errno (EROFS on a read-only file system, EACCES, ...).</summary>
        public static int WriteAccess(string path) => access(path, W_OK) == 0 ? 0 : Errno;

        /// <summary>chown(2); uint.MaxValue keeps that id. 0 or errno.</summary>
        public static int Chown(string path, uint uid, uint gid) => chown(path, uid, gid) == 0 ? 0 : Errno;

        public static int Chmod(string path, int mode) => SystemNative_ChMod(path, mode) == 0 ? 0 : Errno;

        public static uint EffectiveUid => geteuid();

        public static bool IsRoot => geteuid() == 0;

        /// <summary>Whether this process may give a file it owns this group: its effective or a supplementary group.</summary>
        public static bool InGroup(uint gid)
        {
            if (getegid() == gid) return true;
            int n = getgroups(0, null);
            if (n <= 0) return false;
            var list = new uint[n];
            n = getgroups(n, list);
            for (int i = 0; i < n; i++) if (list[i] == gid) return true;
            return false;
        }

        /// <summary>Creates path (it must not exist) readable and writable by this user only, for writing.</summary>
        public static SafeFileHandle CreatePrivate(string path)
        {
            var fd = SystemNative_Open(path, PAL_O_WRONLY | PAL_O_CLOEXEC | PAL_O_CREAT | PAL_O_EXCL, 0x180 /* 0600 */);
            if ((long)fd < 0)
            {
                int e = Errno;
                throw new System.IO.IOException($"Can't create {path}: {Describe(e)}.", e);
            }
            return new SafeFileHandle(fd, true);
        }

        /// <summary>"kratos (uid 999)", or "uid 999" when the name can't be found.</summary>
        public static string UserName(uint uid) => Named(getpwuid_r, uid, "uid");

        /// <summary>"kratos (gid 999)", or "gid 999".</summary>
        public static string GroupName(uint gid) => Named(getgrgid_r, gid, "gid");

        private delegate int Lookup(uint id, IntPtr entry, IntPtr buf, UIntPtr buflen, out IntPtr result);

        private static string Named(Lookup lookup, uint id, string kind)
        {
            // struct passwd and struct group both start with a char* name; 256 bytes hold either struct.
            IntPtr entry = Marshal.AllocHGlobal(256), buf = Marshal.AllocHGlobal(16384);
            try
            {
                if (lookup(id, entry, buf, (UIntPtr)16384, out var result) == 0 && result != IntPtr.Zero)
                {
                    var name = Marshal.PtrToStringAnsi(Marshal.ReadIntPtr(result));
                    if (!string.IsNullOrEmpty(name)) return $"{name} ({kind} {id})";
                }
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException || ex is DllNotFoundException) { }
            finally
            {
                Marshal.FreeHGlobal(entry);
                Marshal.FreeHGlobal(buf);
            }
            return $"{kind} {id}";
        }

        /// <summary>Up to 512 bytes of path, read without flock; null when it can't be read.</summary>
        public static byte[] ReadStart(string path)
        {
            int fd = open(path, 0 /* O_RDONLY */);
            if (fd < 0) return null;
            try
            {
                var buf = new byte[512];
                long n = (long)read(fd, buf, (IntPtr)buf.Length);
                if (n <= 0) return null;
                var result = new byte[n];
                Array.Copy(buf, result, (int)n);
                return result;
            }
            finally { close(fd); }
        }

        /// <summary>The text of an errno, e.g. "Read-only file system".</summary>
        public static string Describe(int errno)
        {
            switch (errno)
            {
                case EPERM: return "Operation not permitted";
                case ENOENT: return "No such file or directory";
                case EACCES: return "Permission denied";
                case EROFS: return "Read-only file system";
                default: return "error " + errno;
            }
        }
    }
}

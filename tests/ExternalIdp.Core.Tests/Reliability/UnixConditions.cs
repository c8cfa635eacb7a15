using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// What the file identity tests need of the machine (Unix for links and modes; Linux and root for
    /// chown, other users and mounts, as in CI), and the reason a test is skipped when it is missing.
    /// </summary>
    internal static class UnixConditions
    {
        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        public static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint geteuid();

        public static string WhyNotUnix => IsUnix ? null : "needs Unix symbolic links and file modes (Linux or macOS)";

        public static string WhyNotRoot =>
            !IsLinux ? "needs Linux (chown to another user; CI runs on Linux as root)"
            : geteuid() != 0 ? $"needs root to give files to another user (uid 65534) and back; this runs as uid {geteuid()}"
            : null;

        public static string WhyNotOtherUser =>
            WhyNotRoot ?? (SetresNumbers() == null ? $"switches one thread to another user with raw setresuid/setresgid, whose numbers are known here for x64 and arm64 only, not {RuntimeInformation.ProcessArchitecture}" : null);

        private static readonly Lazy<string> MountProbe = new Lazy<string>(() =>
        {
            if (WhyNotRoot != null) return WhyNotRoot;
            try { using (new Tmpfs()) { } return null; }
            catch (Exception ex) { return "needs to mount a tmpfs (read-only mounts), which this machine does not permit: " + ex.Message; }
        }, LazyThreadSafetyMode.ExecutionAndPublication);

        public static string WhyNotMount => MountProbe.Value;

        /// <summary>(exit code, stdout + stderr) of a program run to its end.</summary>
        public static (int Exit, string Output) Run(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(30000)) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(" ", args)} did not end within 30 s"); }
            p.WaitForExit();
            return (p.ExitCode, output + err.Result);
        }

        public static void Must(string file, params string[] args)
        {
            var (exit, output) = Run(file, args);
            if (exit != 0) throw new InvalidOperationException($"{file} {string.Join(" ", args)} failed ({exit}): {output.Trim()}");
        }

        /// <summary>Owner, group and permission bits (octal text, e.g. "640") of a file, as stat(1) gives them (links followed).</summary>
        public static (uint Uid, uint Gid, string Mode) Stat(string path)
        {
            var (exit, output) = Run("stat", "-L", "-c", "%u %g %a", "--", path);
            if (exit != 0) throw new InvalidOperationException($"stat {path}: {output}");
            var parts = output.Trim().Split(' ');
            return (uint.Parse(parts[0]), uint.Parse(parts[1]), parts[2]);
        }

        // ------------------------------------------------------------------ another user, on one thread

        [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
        private static extern long syscall(long number, long a, long b, long c);

        /// <summary>(setgroups, setresuid, setresgid) system call numbers of this architecture, or null.</summary>
        private static (long Groups, long Uid, long Gid)? SetresNumbers()
        {
            if (!IsLinux) return null;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: return (116, 117, 119);
                case Architecture.Arm64: return (159, 147, 149);
                default: return null;
            }
        }

        /// <summary>
        /// Runs body on a thread of its own as uid/gid (with these supplementary groups). Linux keeps
        /// credentials per thread; the raw system calls (unlike libc's wrappers) change only this
        /// thread's, so the rest of the test run stays root. The saved ids stay 0 so the thread can
        /// switch back before it ends.
        /// </summary>
        public static void AsUser(uint uid, uint gid, uint[] groups, Action body)
        {
            var n = SetresNumbers() ?? throw new InvalidOperationException(WhyNotOtherUser);
            Exception failure = null;
            var thread = new Thread(() =>
            {
                var pinned = GCHandle.Alloc(groups ?? new uint[0], GCHandleType.Pinned);
                try
                {
                    Check(syscall(n.Groups, (groups ?? new uint[0]).Length, (long)pinned.AddrOfPinnedObject(), 0), "setgroups");
                    Check(syscall(n.Gid, gid, gid, 0), "setresgid");
                    Check(syscall(n.Uid, uid, uid, 0), "setresuid");
                    try { body(); }
                    catch (Exception ex) { failure = ex; }
                }
                catch (Exception ex) { failure = failure ?? ex; }
                finally
                {
                    syscall(n.Uid, 0, 0, 0);
                    syscall(n.Gid, 0, 0, 0);
                    syscall(n.Groups, 0, 0, 0);
                    pinned.Free();
                }
            });
            thread.Start();
            thread.Join();
            if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        private static void Check(long r, string what)
        {
            if (r != 0) throw new InvalidOperationException($"{what} failed: errno {Marshal.GetLastWin32Error()}");
        }
    }

    /// <summary>A tmpfs mounted on a fresh temp folder (root, Linux); unmounted and removed on Dispose.</summary>
    internal sealed class Tmpfs : IDisposable
    {
        public string Dir { get; }

        public Tmpfs()
        {
            Dir = Path.Combine(Path.GetTempPath(), "eidp-mnt-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(Dir);
            try { UnixConditions.Must("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", Dir); }
            catch { Directory.Delete(Dir); throw; }
        }

        public void MakeReadOnly() => UnixConditions.Must("mount", "-o", "remount,ro", Dir);

        public void Dispose()
        {
            if (UnixConditions.Run("umount", Dir).Exit != 0) UnixConditions.Run("umount", "-l", Dir);
            try { Directory.Delete(Dir); } catch (IOException) { }
        }
    }

    /// <summary>A fact skipped (saying why) where Unix links and modes are missing.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute() { Skip = UnixConditions.WhyNotUnix; }
    }

    /// <summary>A fact skipped (saying why) unless it runs as root on Linux.</summary>
    public sealed class RootFactAttribute : FactAttribute
    {
        public RootFactAttribute() { Skip = UnixConditions.WhyNotRoot; }
    }

    public sealed class RootTheoryAttribute : TheoryAttribute
    {
        public RootTheoryAttribute() { Skip = UnixConditions.WhyNotRoot; }
    }

    /// <summary>A fact skipped (saying why) unless this thread can be switched to another user (root on Linux x64/arm64).</summary>
    public sealed class OtherUserFactAttribute : FactAttribute
    {
        public OtherUserFactAttribute() { Skip = UnixConditions.WhyNotOtherUser; }
    }

    /// <summary>A fact skipped (saying why) unless a tmpfs can be mounted (root on Linux, mount permitted).</summary>
    public sealed class MountFactAttribute : FactAttribute
    {
        public MountFactAttribute() { Skip = UnixConditions.WhyNotMount; }
    }
}

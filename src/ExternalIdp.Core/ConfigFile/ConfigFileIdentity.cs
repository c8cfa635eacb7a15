using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The file a rewrite replaces and what the replacement must keep of it. A change is written to a
    /// temp file that is renamed over the file, so the new file keeps nothing by itself: it is made
    /// beside the link's target (the link stays a link), gets the owner, group and mode of the file it
    /// replaces (on Unix; on Windows File.Replace keeps the ACL and attributes), or the write is refused
    /// before anything is written.
    /// </summary>
    internal sealed class ConfigFileIdentity
    {
        private static readonly Regex KubeletFolder = new Regex(@"^\.\.\d{4}_\d\d_\d\d_", RegexOptions.CultureInvariant);

        /// <summary>The path as given (made absolute).</summary>
        public string Path { get; private set; }

        /// <summary>The file itself: every symbolic link resolved. The temp file, the lock and the rename are beside it.</summary>
        public string Real { get; private set; }

        /// <summary>Path itself is a symbolic link.</summary>
        public bool IsLink { get; private set; }

        /// <summary>Unix: owner, group and permission bits were read.</summary>
        public bool Known { get; private set; }

        public uint Uid { get; private set; }
        public uint Gid { get; private set; }

        /// <summary>Permission bits (07777).</summary>
        public int Mode { get; private set; }

        /// <summary>The file as messages name it: "/etc/kratos/kratos.yml (a link to /srv/kratos/kratos.yml)".</summary>
        public string Named => IsLink ? $"{Path} (a link to {Real})" : Path;

        public string ModeText => "0" + Convert.ToString(Mode, 8).PadLeft(3, '0');

        /// <summary>Resolves the links of path and reads what a rewrite must keep. Changes nothing.</summary>
        public static ConfigFileIdentity Of(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var f = new ConfigFileIdentity { Path = full, Real = full };
            try
            {
                if (Posix.IsUnix)
                {
                    f.IsLink = Posix.TryStat(full, true, out var ls, out _) && ls.IsLink;
                    f.Real = Posix.RealPath(full) ?? full;
                    if (Posix.TryStat(f.Real, false, out var st, out _))
                    {
                        f.Known = true;
                        f.Uid = st.Uid;
                        f.Gid = st.Gid;
                        f.Mode = st.Mode;
                    }
                }
                else
                {
                    f.Real = WindowsLinkTarget(full) ?? full;
                    f.IsLink = !string.Equals(f.Real, full, StringComparison.OrdinalIgnoreCase);
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.NotInstalled,
                    $"Can't learn the owner, group and mode of {full} on this system ({ex.Message}), so it can't be rewritten keeping them; it was not changed. ExternalIdp needs PowerShell 7 (.NET) on Linux and macOS.", path, ex);
            }
            return f;
        }

        /// <summary>
        /// Of(path), refusing before anything is written a file that can't be rewritten as it is: on a
        /// read-only file system (a Kubernetes ConfigMap), read-only by its mode (even for root), in a
        /// folder this process can't write, or whose owner or group this process could not keep.
        /// </summary>
        public static ConfigFileIdentity Writable(string path)
        {
            var f = Of(path);
            if (!Posix.IsUnix)
            {
                if (File.Exists(f.Real) && (File.GetAttributes(f.Real) & FileAttributes.ReadOnly) != 0)
                    throw ReadOnly(f, "its read-only attribute is set", $"clear it first (attrib -r \"{f.Real}\")");
                return f;
            }
            if (!f.Known) return f; // nothing there to keep: the write itself says what is wrong
            if (Posix.WriteAccess(f.Real) == Posix.EROFS) throw ReadOnlyFileSystem(f);
            if ((f.Mode & 0x92) == 0) // no write bit (0222) for anyone
                throw ReadOnly(f, $"its mode is {f.ModeText}: no one may write it", $"make it writable first (chmod u+w {f.Real})");
            if (!Posix.IsRoot)
            {
                var me = Posix.UserName(Posix.EffectiveUid);
                if (f.Uid != Posix.EffectiveUid)
                    throw Refused(f, $"it belongs to {Posix.UserName(f.Uid)}, group {Posix.GroupName(f.Gid)}, and this command runs as {me}. A change is written to a new file that replaces it, and only root can give that file another owner: it would belong to {me}, and Kratos could lose access to its config",
                        f.Uid == 0 ? "Run the command as root (e.g. sudo pwsh)." : $"Run the command as root (e.g. sudo pwsh) or as {Posix.UserName(f.Uid)}.");
                if (!Posix.InGroup(f.Gid))
                    throw Refused(f, $"its group is {Posix.GroupName(f.Gid)}, and {me} is not a member of it, so the file that replaces it could not keep that group",
                        "Run the command as root, or as a member of that group.");
            }
            var dir = System.IO.Path.GetDirectoryName(f.Real);
            int e = Posix.WriteAccess(dir);
            if (e == Posix.EROFS) throw ReadOnlyFileSystem(f);
            if (e != 0)
                throw Refused(f, $"a change is written to a new file beside it, in {dir}, and renamed over it (so Kratos never reads half a file), and {Posix.UserName(Posix.EffectiveUid)} can't write to that folder ({Posix.Describe(e)})",
                    $"Run the command as a user who can write to {dir} (e.g. root).");
            return f;
        }

        /// <summary>Gives temp (a new file beside Real, still private to this process) the owner, group and mode of the file it will replace.</summary>
        public void KeepOn(string temp)
        {
            if (!Posix.IsUnix || !Known) return;
            // Owner and group first: chown clears the set-user/group-id bits that the mode may have.
            int e = Posix.Chown(temp, Posix.IsRoot ? Uid : uint.MaxValue, Gid);
            if (e != 0)
                throw Refused(this, $"the file that replaces it could not be given its owner {Posix.UserName(Uid)} and group {Posix.GroupName(Gid)} ({Posix.Describe(e)}; root on an NFS share exported with root_squash can't change owners, for one)",
                    $"Run the command as {Posix.UserName(Uid)}, or edit the file where its owner can be kept.");
            e = Posix.Chmod(temp, Mode);
            if (e != 0)
                throw Refused(this, $"the file that replaces it could not be given its mode {ModeText} ({Posix.Describe(e)})",
                    "Check the file system the file is on, then run the command again.");
        }

        /// <summary>True when the file looks like a Kubernetes ConfigMap or Secret volume: a ..data link beside it, or a kubelet's timestamped folder.</summary>
        public bool LooksLikeKubernetesVolume
        {
            get
            {
                var dir = System.IO.Path.GetDirectoryName(Path);
                if (dir != null && Directory.Exists(System.IO.Path.Combine(dir, "..data"))) return true;
                var realDir = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Real) ?? "");
                return KubeletFolder.IsMatch(realDir ?? "");
            }
        }

        private static ExternalIdpException ReadOnlyFileSystem(ConfigFileIdentity f)
        {
            var where = f.LooksLikeKubernetesVolume
                ? "it is on a read-only file system, laid out the way Kubernetes mounts a ConfigMap or Secret (a ..data link into a timestamped folder). Kratos reads its config from that ConfigMap: change the ConfigMap instead (kubectl edit configmap <name>, or the manifest or Helm values it is made from, e.g. kratos.config in the Ory chart's values.yaml with -ConfigRoot kratos.config) and let the pod pick up the change"
                : "the file is on a read-only file system: it is probably mounted from a Kubernetes ConfigMap or Secret, or a read-only volume or image. Change the config where it comes from instead (for a ConfigMap: kubectl edit configmap <name>, or the manifest or Helm values it is made from)";
            return new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.PermissionDenied,
                $"{f.Named} can't be changed: {where}. Nothing was changed.", f.Path)
            {
                RecommendedAction = "Change the config where it comes from (the ConfigMap, Helm values or volume it is mounted from); this file is a read-only copy.",
            };
        }

        private static ExternalIdpException ReadOnly(ConfigFileIdentity f, string why, string fix)
        {
            var root = Posix.IsUnix && Posix.IsRoot ? " (root could write it, but a file that no one may write is taken as one not to be edited in place)" : "";
            return new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.PermissionDenied,
                $"{f.Named} is read-only ({why}), so it was not changed{root}. It may be generated, or kept by configuration management. If it should be edited here, {fix} and run the command again; otherwise change it where it comes from.", f.Path)
            {
                RecommendedAction = "Make the file writable if it is meant to be edited here, or change it at its source; the file was not changed.",
            };
        }

        private static ExternalIdpException Refused(ConfigFileIdentity f, string why, string fix)
            => new ExternalIdpException(ErrorIds.ConfigFileWriteFailed, ErrorKind.PermissionDenied,
                $"Can't change {f.Named}: {why}. Nothing was changed. {fix}", f.Path)
            {
                RecommendedAction = fix + " The file was not changed.",
            };

        /// <summary>Windows: the final target of a symbolic link (FileSystemInfo.ResolveLinkTarget, .NET 6+); null for a plain file or where the runtime can't tell.</summary>
        private static string WindowsLinkTarget(string full)
        {
            try
            {
                if (!File.Exists(full) || (File.GetAttributes(full) & FileAttributes.ReparsePoint) == 0) return null;
                var resolve = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });
                return (resolve?.Invoke(new FileInfo(full), new object[] { true }) as FileSystemInfo)?.FullName;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is TargetInvocationException)
            {
                return null;
            }
        }
    }
}

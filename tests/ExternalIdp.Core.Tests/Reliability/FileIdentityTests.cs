using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;
using static ExternalIdp.Core.Tests.Reliability.UnixConditions;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// A config file keeps its identity: edited through symbolic links (which stay links), with its owner,
    /// group and mode; a file that can't be rewritten so (read-only file system, read-only mode, another
    /// user's file, a folder that can't be written) is refused before anything is written.
    /// </summary>
    public class FileIdentityTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();
        private static readonly DateTime Past = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);

        private static string NewDir()
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-id-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
            return dir;
        }

        /// <summary>A layout of links in front of one config file: the path to give, the file itself, and each link with its target text.</summary>
        private sealed class Layout
        {
            public string Given, Real;
            public List<(string Link, string Target)> Links = new List<(string, string)>();

            public void Link(string link, string target)
            {
                File.CreateSymbolicLink(link, target);
                Links.Add((link, target));
            }
        }

        private static Layout Make(string kind, string dir)
        {
            var l = new Layout();
            var etc = Directory.CreateDirectory(Path.Combine(dir, "etc")).FullName;
            var real = Directory.CreateDirectory(Path.Combine(dir, "real")).FullName;
            l.Given = Path.Combine(etc, "kratos.yml");
            l.Real = Path.Combine(real, "kratos.yml");
            switch (kind)
            {
                case "absolute":
                    l.Link(l.Given, l.Real);
                    break;
                case "relative":
                    l.Link(l.Given, "../real/kratos.yml");
                    break;
                case "chain of two":
                    l.Link(l.Given, "kratos-current.yml");
                    l.Link(Path.Combine(etc, "kratos-current.yml"), l.Real);
                    break;
                case "relative through a linked folder and ..":
                    // etc/conf is deep/x, so conf/.. is deep (not etc, as reading the path as text would say).
                    var x = Directory.CreateDirectory(Path.Combine(dir, "deep", "x")).FullName;
                    l.Real = Path.Combine(dir, "deep", "kratos.yml");
                    l.Link(Path.Combine(etc, "conf"), x);
                    l.Link(l.Given, "conf/../kratos.yml");
                    break;
                case "kubernetes layout":
                    var stamp = Directory.CreateDirectory(Path.Combine(etc, "..2024_05_01_10_20_30.123456789")).FullName;
                    l.Real = Path.Combine(stamp, "kratos.yml");
                    l.Link(Path.Combine(etc, "..data"), "..2024_05_01_10_20_30.123456789");
                    l.Link(l.Given, "..data/kratos.yml");
                    break;
                default: throw new ArgumentException(kind);
            }
            File.WriteAllText(l.Real, EditTests.Base);
            return l;
        }

        private static void AssertLinksKept(Layout l)
        {
            foreach (var (link, target) in l.Links)
            {
                var info = new FileInfo(link);
                Assert.True(info.Attributes.HasFlag(FileAttributes.ReparsePoint), $"{link} is no longer a symbolic link");
                Assert.Equal(target, info.LinkTarget);
            }
        }

        private static void AssertNoLeftovers(string dir, params string[] allowed)
        {
            // Every file below dir, hidden ones too, without going through links (..data would show the same file twice).
            var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            var left = Directory.EnumerateFileSystemEntries(dir, "*", all)
                .Where(f => !allowed.Contains(f) && (f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".lock", StringComparison.Ordinal)))
                .ToList();
            Assert.Empty(left);
        }

        [UnixFact]
        public void Edits_go_through_links_to_the_file_and_the_links_stay_links()
        {
            foreach (var kind in new[] { "absolute", "relative", "chain of two", "relative through a linked folder and ..", "kubernetes layout" })
            {
                var dir = NewDir();
                var l = Make(kind, dir);
                var original = File.ReadAllBytes(l.Real);
                var t = new ConfigFileTarget(l.Given, null);

                t.Add(null, Google(), Opt, new RecordingHost());
                AssertLinksKept(l);
                Assert.Contains("id: test-google", File.ReadAllText(l.Real));
                Assert.Equal(new[] { "github", "test-google" }, new ConfigFileTarget(l.Real, null).GetIdps(null).Select(i => i.Name));

                t.Set("test-google", new IdpSettings { Label = "Google staff" }, Opt, new RecordingHost());
                AssertLinksKept(l);
                Assert.Equal("Google staff", new ConfigFileTarget(l.Real, null).GetIdps(null).Single(i => i.Name == "test-google").Label);

                Assert.True(t.Remove("test-google", Opt, new RecordingHost()));
                AssertLinksKept(l);
                Assert.True(original.SequenceEqual(File.ReadAllBytes(l.Real)), $"{kind}: Add, Set, Remove did not give the original bytes back");
                // The lock is beside the file itself: every path to the file takes the same lock.
                Assert.True(File.Exists(l.Real + ".lock"), $"{kind}: no lock beside {l.Real}");
                AssertNoLeftovers(dir, l.Real + ".lock");
            }
        }

        [UnixFact]
        public void Stray_temp_files_are_cleaned_beside_the_file_itself_and_a_held_lock_holds_every_path()
        {
            var dir = NewDir();
            var l = Make("relative", dir);
            var stray = Path.Combine(Path.GetDirectoryName(l.Real), ".kratos.yml.0123456789ab.tmp");
            File.WriteAllText(stray, "partial");
            using (ConfigFileStore.Lock(l.Real, System.Threading.CancellationToken.None, TimeSpan.FromSeconds(5)))
            {
                var t = new ConfigFileTarget(l.Given, null) { LockTimeout = TimeSpan.FromMilliseconds(200) };
                var ex = Assert.Throws<ExternalIdpException>(() => t.Add(null, Google(), Opt, new RecordingHost()));
                Assert.Equal(ErrorIds.ConfigFileLocked, ex.ErrorId);
                Assert.Contains(l.Real + ".lock", ex.Message);
            }
            new ConfigFileTarget(l.Given, null).Add(null, Google(), Opt, new RecordingHost());
            Assert.False(File.Exists(stray));
            AssertLinksKept(l);
        }

        [RootTheory]
        [InlineData(65534u, 65534u, "640", false)]
        [InlineData(65534u, 65534u, "640", true)]
        [InlineData(0u, 65534u, "660", false)]
        [InlineData(65534u, 0u, "600", true)]
        [InlineData(65534u, 65534u, "2644", false)]
        public void Owner_group_and_mode_are_kept_by_add_set_and_remove(uint uid, uint gid, string mode, bool throughLink)
        {
            var dir = NewDir();
            var l = Make(throughLink ? "relative" : "absolute", dir);
            var path = throughLink ? l.Given : l.Real;
            Must("chown", $"{uid}:{gid}", l.Real);
            Must("chmod", mode, l.Real);
            var t = new ConfigFileTarget(path, null);
            foreach (var (what, act) in new (string, Action)[]
            {
                ("Add", () => t.Add(null, Google(), Opt, new RecordingHost())),
                ("Set", () => t.Set("test-google", new IdpSettings { Label = "Google" }, Opt, new RecordingHost())),
                ("Remove", () => t.Remove("test-google", Opt, new RecordingHost())),
            })
            {
                act();
                Assert.Equal((uid, gid, mode), Stat(l.Real));
                if (throughLink) AssertLinksKept(l);
                // The lock file root made stays usable by the file's owner.
                Assert.Equal((uid, gid), (Stat(l.Real + ".lock").Uid, Stat(l.Real + ".lock").Gid));
            }
            Assert.Equal(EditTests.Base, File.ReadAllText(l.Real));
        }

        [UnixFact]
        public void A_file_that_no_one_may_write_is_refused_untouched_even_for_root()
        {
            var dir = NewDir();
            var l = Make("relative", dir);
            File.SetUnixFileMode(l.Real, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetLastWriteTimeUtc(l.Real, Past);
            var bytes = File.ReadAllBytes(l.Real);
            var t = new ConfigFileTarget(l.Given, null);
            foreach (Action<RecordingHost> act in new Action<RecordingHost>[]
            {
                h => t.Add(null, Google(), Opt, h),
                h => t.Set("github", new IdpSettings { Label = "x" }, Opt, h),
                h => t.Remove("github", Opt, h),
            })
            {
                var host = new RecordingHost();
                var ex = Assert.Throws<ExternalIdpException>(() => act(host));
                Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
                Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
                Assert.Contains($"{l.Given} (a link to {l.Real}) is read-only (its mode is 0444: no one may write it)", ex.Message);
                Assert.Contains($"chmod u+w {l.Real}", ex.Message);
                Assert.Empty(host.Asked); // refused before asking
                Assert.Equal(bytes, File.ReadAllBytes(l.Real));
                Assert.Equal(Past, File.GetLastWriteTimeUtc(l.Real));
            }
            // Reading is fine.
            Assert.Single(t.GetIdps(null));
            AssertNoLeftovers(dir);
            AssertLinksKept(l);
        }

        // ------------------------------------------------------------------ as another user

        private static string DirOwnedBy(uint uid, uint gid)
        {
            var dir = NewDir();
            Must("chown", $"{uid}:{gid}", dir);
            return dir;
        }

        [OtherUserFact]
        public void Another_users_file_is_refused_naming_its_owner_and_untouched()
        {
            var dir = NewDir();
            Must("chmod", "1777", dir);
            var path = Path.Combine(dir, "kratos.yml");
            File.WriteAllText(path, EditTests.Base);   // root's, 0644
            File.SetLastWriteTimeUtc(path, Past);
            ExternalIdpException ex = null;
            AsUser(65534, 65534, null, () => ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost())));
            Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            Assert.Contains($"Can't change {path}: it belongs to root (uid 0)", ex.Message);
            Assert.Contains("this command runs as ", ex.Message);
            Assert.Contains("(uid 65534)", ex.Message);
            Assert.EndsWith("Nothing was changed. Run the command as root (e.g. sudo pwsh).", ex.Message);
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
            Assert.Equal(Past, File.GetLastWriteTimeUtc(path));
            Assert.Equal((0u, 0u, "644"), Stat(path));
            AssertNoLeftovers(dir);
        }

        [OtherUserFact]
        public void The_owner_edits_its_own_file_keeping_group_and_mode_and_is_refused_a_group_it_is_not_in()
        {
            var dir = DirOwnedBy(65534, 65534);
            var path = Path.Combine(dir, "kratos.yml");
            File.WriteAllText(path, EditTests.Base);
            Must("chown", "65534:0", path);
            Must("chmod", "640", path);

            // Group 0 is not one of nobody's groups: the rewritten file could not keep it.
            ExternalIdpException ex = null;
            AsUser(65534, 65534, null, () => ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost())));
            Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            Assert.Contains("its group is root (gid 0)", ex.Message);
            Assert.Equal(EditTests.Base, File.ReadAllText(path));

            // A member of the group: written, owner, group and mode kept.
            AsUser(65534, 65534, new uint[] { 0 }, () => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost()));
            Assert.Contains("id: test-google", File.ReadAllText(path));
            Assert.Equal((65534u, 0u, "640"), Stat(path));
            AssertNoLeftovers(dir, path + ".lock");
        }

        [OtherUserFact]
        public void A_folder_the_user_cant_write_is_refused_before_anything_is_written()
        {
            var dir = NewDir(); // root's, 0755
            var path = Path.Combine(dir, "kratos.yml");
            File.WriteAllText(path, EditTests.Base);
            Must("chown", "65534:65534", path);
            ExternalIdpException ex = null;
            AsUser(65534, 65534, null, () => ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Remove("github", Opt, new RecordingHost())));
            Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            Assert.Contains($"a change is written to a new file beside it, in {dir}, and renamed over it", ex.Message);
            Assert.Contains("can't write to that folder (Permission denied)", ex.Message);
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
            AssertNoLeftovers(dir);
        }

        // ------------------------------------------------------------------ read-only file systems

        [MountFact]
        public void A_file_on_a_read_only_mount_is_refused_untouched_saying_where_the_config_comes_from()
        {
            using var mnt = new Tmpfs();
            var path = Path.Combine(mnt.Dir, "kratos.yml");
            File.WriteAllText(path, EditTests.Base);
            File.SetLastWriteTimeUtc(path, Past);
            mnt.MakeReadOnly();
            var host = new RecordingHost();
            var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, Google(), Opt, host));
            Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
            Assert.StartsWith($"{path} can't be changed: the file is on a read-only file system: it is probably mounted from a Kubernetes ConfigMap", ex.Message);
            Assert.Contains("Change the config where it comes from", ex.Message);
            Assert.Contains("ConfigMap", ex.RecommendedAction);
            Assert.Empty(host.Asked);
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
            Assert.Equal(Past, File.GetLastWriteTimeUtc(path));
            Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(mnt.Dir));
            Assert.Single(new ConfigFileTarget(path, null).GetIdps(null));
        }

        [MountFact]
        public void A_configmap_volume_is_refused_untouched_naming_the_configmap()
        {
            // What the kubelet mounts for a ConfigMap: kratos.yml -> ..data/kratos.yml, ..data -> ..<timestamp>, read-only.
            using var mnt = new Tmpfs();
            var stamp = "..2024_05_01_10_20_30.123456789";
            Directory.CreateDirectory(Path.Combine(mnt.Dir, stamp));
            var real = Path.Combine(mnt.Dir, stamp, "kratos.yml");
            File.WriteAllText(real, EditTests.Base);
            File.SetLastWriteTimeUtc(real, Past);
            File.CreateSymbolicLink(Path.Combine(mnt.Dir, "..data"), stamp);
            var path = Path.Combine(mnt.Dir, "kratos.yml");
            File.CreateSymbolicLink(path, "..data/kratos.yml");
            mnt.MakeReadOnly();
            foreach (Action act in new Action[]
            {
                () => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost()),
                () => new ConfigFileTarget(path, null).Set("github", new IdpSettings { Label = "x" }, Opt, new RecordingHost()),
                () => new ConfigFileTarget(path, null).Remove("github", Opt, new RecordingHost()),
            })
            {
                var ex = Assert.Throws<ExternalIdpException>(act);
                Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
                Assert.StartsWith($"{path} (a link to {real}) can't be changed: it is on a read-only file system, laid out the way Kubernetes mounts a ConfigMap or Secret (a ..data link into a timestamped folder).", ex.Message);
                Assert.Contains("change the ConfigMap instead (kubectl edit configmap <name>", ex.Message);
            }
            Assert.Equal(EditTests.Base, File.ReadAllText(real));
            Assert.Equal(Past, File.GetLastWriteTimeUtc(real));
            Assert.Equal("..data/kratos.yml", new FileInfo(path).LinkTarget);
            Assert.Equal(new[] { "..2024_05_01_10_20_30.123456789", "..data", "kratos.yml" }, Directory.GetFileSystemEntries(mnt.Dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(new[] { real }, Directory.GetFileSystemEntries(Path.Combine(mnt.Dir, stamp)));
        }
    }
}

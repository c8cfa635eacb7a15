using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using ExternalIdp.Core.Tests.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>The lock names its holder; leftovers of killed writers are cleaned up under it.</summary>
    public class LockTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        [Fact]
        public void A_writer_that_gives_up_names_the_holder_and_changes_nothing()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var before = File.ReadAllBytes(path);
            using (ConfigFileStore.Lock(path, CancellationToken.None, TimeSpan.FromSeconds(5)))
            {
                var t = new ConfigFileTarget(path, null) { LockTimeout = TimeSpan.FromMilliseconds(300) };
                foreach (Action act in new Action[]
                {
                    () => t.Add(null, Google(), Opt, new RecordingHost()),
                    () => t.Set("github", new IdpSettings { Label = "x" }, Opt, new RecordingHost()),
                    () => t.Remove("github", Opt, new RecordingHost()),
                })
                {
                    var ex = Assert.Throws<ExternalIdpException>(act);
                    Assert.Equal(ErrorIds.ConfigFileLocked, ex.ErrorId);
                    Assert.Equal(ErrorKind.ResourceBusy, ex.Kind);
                    Assert.Contains(path + ".lock", ex.Message);
                    using var me = Process.GetCurrentProcess();
                    Assert.Contains($"process {me.Id} ({me.ProcessName}) on {Environment.MachineName}, since ", ex.Message);
                    Assert.Contains("300 ms", ex.Message);
                    Assert.Equal(before, File.ReadAllBytes(path));
                }
            }
            // Released: the next writer goes ahead.
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal(2, new ConfigFileTarget(path, null).GetIdps(null).Count);
        }

        [Fact]
        public void The_holder_description_is_readable_while_held_and_replaced_by_the_next_holder()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            using (ConfigFileStore.Lock(path, CancellationToken.None, TimeSpan.FromSeconds(5)))
            {
                var d = ConfigFileStore.ReadHolder(path + ".lock");
                Assert.NotNull(d);
                Assert.StartsWith($"process {Environment.ProcessId} (", d);
                Assert.EndsWith(" UTC", d);
            }
            // Released: the description goes with the lock (on Windows the lock file itself goes).
            Assert.True(!File.Exists(path + ".lock") || new FileInfo(path + ".lock").Length == 0);
            // A garbled lock file left behind (e.g. by an older version) is no description, and no obstacle.
            if (File.Exists(path + ".lock")) File.WriteAllText(path + ".lock", "\u0001garbage that is much longer than the description of a holder would be");
            Assert.Null(ConfigFileStore.ReadHolder(path + ".lock"));
            using (ConfigFileStore.Lock(path, CancellationToken.None, TimeSpan.FromSeconds(5)))
                Assert.StartsWith("process ", ConfigFileStore.ReadHolder(path + ".lock"));
            Assert.Null(ConfigFileStore.ReadHolder(path + ".missing.lock"));
        }

        [Fact]
        public void Cancelling_the_wait_stops_it_and_changes_nothing()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            using var cts = new CancellationTokenSource();
            using (ConfigFileStore.Lock(path, CancellationToken.None, TimeSpan.FromSeconds(5)))
            {
                cts.CancelAfter(200);
                var ex = Assert.Throws<ExternalIdpException>(() => ConfigFileStore.Lock(path, cts.Token, TimeSpan.FromSeconds(60)));
                Assert.Equal(ErrorIds.ConfigFileLocked, ex.ErrorId);
                Assert.Equal(ErrorKind.OperationStopped, ex.Kind);
            }
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
        }

        [Fact]
        public void Temp_files_left_by_killed_writers_are_removed_by_the_next_write_and_nothing_else()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var dir = Path.GetDirectoryName(path);
            // What a writer killed between creating its temp file and the rename leaves: part of a config, with a secret.
            var stray = new[] { ".kratos.yml.0123456789ab.tmp", ".kratos.yml.ffffffffffff.tmp" }.Select(n => Path.Combine(dir, n)).ToList();
            foreach (var s in stray) File.WriteAllText(s, "selfservice:\n  methods:\n    oidc:\n      config:\n        providers:\n          - id: half\n            client_secret: leaked-");
            // Files that merely look alike belong to someone else and stay.
            var others = new[] { ".kratos.yml.notours.tmp", ".other.yml.0123456789ab.tmp", "kratos.yml.0123456789ab.tmp", ".kratos.yml.0123456789AB.tmp", "notes.tmp" }
                .Select(n => Path.Combine(dir, n)).ToList();
            foreach (var o in others) File.WriteAllText(o, "not ours");

            // Reading neither needs nor touches them.
            Assert.Single(new ConfigFileTarget(path, null).GetIdps(null));
            Assert.All(stray, s => Assert.True(File.Exists(s)));

            new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost());
            Assert.All(stray, s => Assert.False(File.Exists(s), s));
            Assert.All(others, o => Assert.True(File.Exists(o), o));
            Assert.Equal(2, new ConfigFileTarget(path, null).GetIdps(null).Count);
        }

        [Fact]
        public void A_declined_or_refused_change_leaves_stray_files_alone_only_when_it_never_took_the_lock()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var stray = Path.Combine(Path.GetDirectoryName(path), ".kratos.yml.0123456789ab.tmp");
            File.WriteAllText(stray, "partial");
            // Refused before the lock: nothing is touched at all.
            Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Remove("nope", Opt, new RecordingHost()));
            Assert.True(File.Exists(stray));
            Assert.Null(new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost { Answer = false }));
            Assert.True(File.Exists(stray));
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
            // Any change that takes the lock cleans up.
            new ConfigFileTarget(path, null).Set("github", new IdpSettings { Label = "GitHub" }, Opt, new RecordingHost());
            Assert.False(File.Exists(stray));
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>Bad input and files that can't be edited: the right ErrorId, a useful message, the file untouched.</summary>
    public class RefusalTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        private static ExternalIdpException Refused(string text, string expectedId, Action<ConfigFileTarget, RecordingHost> act, string file = "kratos.yml", string root = null)
        {
            var path = TempFile(file, text);
            var before = File.ReadAllBytes(path);
            var host = new RecordingHost();
            var ex = Assert.Throws<ExternalIdpException>(() => act(new ConfigFileTarget(path, root), host));
            Assert.Equal(expectedId, ex.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Empty(host.Asked);
            AssertNoTempFiles(path);
            foreach (var s in Secrets) Assert.DoesNotContain(s, ex.Message);
            return ex;
        }

        private static IdpSettings With(Action<IdpSettings> change, Func<IdpSettings> make = null)
        {
            var s = (make ?? Google)();
            change(s);
            return s;
        }

        [Fact]
        public void Unknown_kind()
        {
            var ex = Refused(EditTests.Base, ErrorIds.UnknownProvider, (t, h) => t.Add(null, With(s => s.Provider = "azuread"), Opt, h));
            Assert.Contains("microsoft", ex.Message);
        }

        [Fact]
        public void Missing_tenant()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Add(null, With(s => s.TenantId = null, Entra), Opt, h));
            Assert.Contains("-TenantId", ex.Message);
        }

        [Fact]
        public void Tenant_on_google()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Add(null, With(s => s.TenantId = "common"), Opt, h));
            Assert.Contains("-TenantId", ex.Message);
        }

        [Fact]
        public void Relative_issuer_url()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Add(null, With(s => s.IssuerUrl = "/realms/main", Generic), Opt, h));
            Assert.Contains("-IssuerUrl", ex.Message);
        }

        [Fact]
        public void Relative_issuer_url_on_set()
        {
            Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Set("github", new IdpSettings { Provider = "generic", IssuerUrl = "login.example.com" }, Opt, h));
        }

        [Fact]
        public void Kind_change_without_its_required_settings()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Set("github", new IdpSettings { Provider = "microsoft" }, Opt, h));
            Assert.Contains("-TenantId", ex.Message);
        }

        [Fact]
        public void Removing_a_required_key_on_set()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Set("github", new IdpSettings { MapperUrl = "" }, Opt, h));
            Assert.Contains("mapper_url", ex.Message);
        }

        [Fact]
        public void Duplicate_id()
        {
            var ex = Refused(EditTests.Base, ErrorIds.IdpAlreadyExists, (t, h) => t.Add("github", With(s => s.ProviderId = null), Opt, h));
            Assert.Contains("Set-KratosIdpProvider", ex.Message);
        }

        [Fact]
        public void Renaming_onto_an_existing_id()
        {
            var text = EditTests.Base.Replace("log:", "          - id: other\n            provider: github\n            client_id: o\n            client_secret: p\n            mapper_url: file:///m\nlog:");
            Refused(text, ErrorIds.IdpAlreadyExists, (t, h) => t.Set("other", new IdpSettings { ProviderId = "github" }, Opt, h));
        }

        [Fact]
        public void Name_and_provider_id_differ()
        {
            Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Add("one", With(s => s.ProviderId = "two"), Opt, h));
        }

        [Fact]
        public void Missing_entry()
        {
            var ex = Refused(EditTests.Base, ErrorIds.IdpNotFound, (t, h) => t.Set("nope", new IdpSettings { Label = "x" }, Opt, h));
            Assert.Contains("github", ex.Message); // lists the ids that exist
            Refused(EditTests.Base, ErrorIds.IdpNotFound, (t, h) => t.Remove("nope", Opt, h));
            Refused(EditTests.Base, ErrorIds.IdpNotFound, (t, h) => t.GetRedirectUri("nope", Opt, h));
        }

        [Fact]
        public void Nothing_to_change()
        {
            var ex = Refused(EditTests.Base, ErrorIds.InvalidConfiguration, (t, h) => t.Set("github", new IdpSettings(), Opt, h));
            Assert.Contains("Nothing to change", ex.Message);
        }

        [Fact]
        public void Set_enabled_is_not_a_config_file_thing()
        {
            var ex = Refused(EditTests.Base, ErrorIds.ParameterNotSupported, (t, h) => t.SetEnabled("github", false, Opt, h));
            Assert.Contains("Remove-KratosIdp", ex.Message);
            Assert.Contains("selfservice.methods.oidc.enabled", ex.Message);
        }

        [Fact]
        public void Missing_file()
        {
            var path = Path.Combine(Path.GetTempPath(), "eidp-none-" + Guid.NewGuid().ToString("N"), "kratos.yml");
            var t = new ConfigFileTarget(path, null);
            foreach (var act in new Action[]
            {
                () => t.GetIdps(new RecordingHost()),
                () => t.Add(null, Google(), Opt, new RecordingHost()),
                () => t.Remove("github", Opt, new RecordingHost()),
            })
            {
                var ex = Assert.Throws<ExternalIdpException>(act);
                Assert.Equal(ErrorIds.ConfigFileNotFound, ex.ErrorId);
                Assert.Contains("-ConfigPath", ex.Message);
            }
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Not_yaml()
        {
            var ex = Refused("selfservice:\n  methods: [oops\n  x: {\n", ErrorIds.ConfigFileInvalid, (t, h) => t.Add(null, Google(), Opt, h));
            Assert.Matches(@"line \d+, column \d+", ex.Message);
            ex = Refused("{ \"selfservice\": { \"methods\": } ", ErrorIds.ConfigFileInvalid, (t, h) => t.GetIdps(h), "kratos.json");
            Assert.Contains("JSON", ex.Message);
        }

        [Fact]
        public void Not_utf8()
        {
            var path = TempFile("kratos.yml", "");
            File.WriteAllBytes(path, new byte[] { 0x73, 0x3A, 0x20, 0xFF, 0xFE, 0x0A });
            var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).GetIdps(new RecordingHost()));
            Assert.Equal(ErrorIds.ConfigFileInvalid, ex.ErrorId);
        }

        [Theory]
        [InlineData("selfservice:\n  methods:\n    oidc:\n      config:\n        providers: \"#/definitions/x\"\n", "not a list")]
        [InlineData("selfservice:\n  methods:\n    oidc:\n      config:\n        providers:\n          id: a\n", "not a list")]
        [InlineData("selfservice: password\n", "not a mapping")]
        [InlineData("selfservice:\n  methods:\n    - oidc\n", "not a mapping")]
        [InlineData("- just\n- a list\n", "not a mapping")]
        [InlineData("", "no YAML document")]
        public void Path_of_the_wrong_shape(string text, string words)
        {
            var ex = Refused(text, ErrorIds.ConfigFileInvalid, (t, h) => t.Add(null, Google(), Opt, h));
            Assert.Contains(words, ex.Message);
            Refused(text, ErrorIds.ConfigFileInvalid, (t, h) => t.GetIdps(h));
        }

        [Fact]
        public void Config_root_missing_or_not_a_mapping()
        {
            var ex = Refused("kratos:\n  image: x\n", ErrorIds.ConfigFileInvalid, (t, h) => t.Add(null, Google(), Opt, h), root: "kratos.config");
            Assert.Contains("kratos.config", ex.Message);
            Refused("kratos:\n  config: 3\n", ErrorIds.ConfigFileInvalid, (t, h) => t.GetIdps(h), root: "kratos.config");
        }

        [Theory]
        [InlineData("base: &b\n  enabled: true\nselfservice:\n  methods:\n    oidc: *b\n", "alias")]
        [InlineData("selfservice: &ss\n  methods:\n    oidc:\n      enabled: true\nother: *ss\n", "anchor")]
        [InlineData("defaults: &d\n  enabled: true\nselfservice:\n  methods:\n    oidc:\n      <<: *d\n      config:\n        providers: []\n", "merge key")]
        [InlineData("selfservice:\n  methods:\n    oidc:\n      config:\n        providers: !custom []\n", "tag")]
        [InlineData("selfservice:\n  methods: {}\nselfservice:\n  methods: {}\n", "appears 2 times")]
        [InlineData("selfservice: {}\n---\nselfservice: {}\n", "second starts at line 2")]
        public void Constructs_that_cannot_be_edited_in_place(string text, string words)
        {
            var ex = Refused(text, ErrorIds.ConfigFileUnsupported, (t, h) => t.Add(null, Google(), Opt, h));
            Assert.Contains(words, ex.Message);
        }

        [Fact]
        public void Entry_with_anchors_is_read_but_not_edited()
        {
            var text = "selfservice:\n  methods:\n    oidc:\n      enabled: true\n      config:\n        providers:\n          - id: a\n            provider: github\n            client_id: &cid x\n            client_secret: y\n            mapper_url: file:///m\n          - id: b\n            provider: github\n            client_id: *cid\n            client_secret: y\n            mapper_url: file:///m\n";
            var path = TempFile("kratos.yml", text);
            var t = new ConfigFileTarget(path, null);
            Assert.Equal(new[] { "x", "x" }, t.GetIdps(new RecordingHost()).Select(i => i.ClientId));
            Refused(text, ErrorIds.ConfigFileUnsupported, (tt, h) => tt.Set("a", new IdpSettings { Label = "A" }, Opt, h));
            Refused(text, ErrorIds.ConfigFileUnsupported, (tt, h) => tt.Set("b", new IdpSettings { Label = "B" }, Opt, h));
        }

        [Fact]
        public void Duplicate_ids_in_the_file()
        {
            var text = EditTests.Base.Replace("log:", "          - id: github\n            provider: github\n            client_id: o\n            client_secret: p\n            mapper_url: file:///m\nlog:");
            var path = TempFile("kratos.yml", text);
            var idps = new ConfigFileTarget(path, null).GetIdps(new RecordingHost());
            Assert.Equal("Invalid", idps[1].Status);
            Assert.Contains(idps[1].Problems, p => p.Contains("duplicate id"));
            var ex = Refused(text, ErrorIds.ConfigFileUnsupported, (t, h) => t.Remove("github", Opt, h));
            Assert.Contains("2 entries", ex.Message);
        }

        [Fact]
        public void Locked_file_times_out_with_its_own_error()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var before = File.ReadAllBytes(path);
            using (ConfigFileStore.Lock(path, CancellationToken.None, TimeSpan.FromSeconds(5)))
            {
                var t = new ConfigFileTarget(path, null) { LockTimeout = TimeSpan.FromMilliseconds(400) };
                var ex = Assert.Throws<ExternalIdpException>(() => t.Add(null, Google(), Opt, new RecordingHost()));
                Assert.Equal(ErrorIds.ConfigFileLocked, ex.ErrorId);
                Assert.Contains(path, ex.Message);
                // Reading needs no lock.
                Assert.Single(t.GetIdps(new RecordingHost()));
            }
            Assert.Equal(before, File.ReadAllBytes(path));
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost());
            Assert.Equal(2, new ConfigFileTarget(path, null).GetIdps(new RecordingHost()).Count);
        }

        [Fact]
        public void Concurrent_adds_all_land()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var ids = Enumerable.Range(0, 6).Select(i => "p" + i).ToList();
            var errors = new List<Exception>();
            var threads = ids.Select(id => new Thread(() =>
            {
                try
                {
                    var s = Google(); s.ProviderId = id;
                    new ConfigFileTarget(path, null).Add(null, s, Opt, new RecordingHost());
                }
                catch (Exception ex) { lock (errors) errors.Add(ex); }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(errors);
            var names = new ConfigFileTarget(path, null).GetIdps(new RecordingHost()).Select(i => i.Name).ToList();
            Assert.Equal(new[] { "github" }.Concat(ids).OrderBy(x => x), names.OrderBy(x => x));
            AssertNoTempFiles(path);
        }

        [Fact]
        public void Write_failure_leaves_the_file_and_no_temp_file()
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)) return;
            if (Environment.UserName == "root") return; // root ignores directory permissions
            var path = TempFile("kratos.yml", EditTests.Base);
            var dir = Path.GetDirectoryName(path);
            File.Create(path + ".lock").Dispose();
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try
            {
                var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Add(null, Google(), Opt, new RecordingHost()));
                Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            }
            finally { File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
            Assert.Equal(EditTests.Base, File.ReadAllText(path));
            AssertNoTempFiles(path);
        }
    }
}

namespace ExternalIdp.Core.Tests.ConfigFile
{
    public class AtomicWriteTests
    {
        [Fact]
        public void A_failed_rename_leaves_what_is_there_and_removes_the_temp_file()
        {
            // A folder where the file should be: the temp file is written beside it, and renaming it over the folder fails.
            var dir = Path.GetDirectoryName(TestSupport.TempFile("other.yml", "a: 1\n"));
            var path = Path.Combine(dir, "kratos.yml");
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "inside"), "kept");
            var ex = Assert.Throws<ExternalIdpException>(() => ConfigFileStore.WriteAtomic(path, "changed: true\n", false));
            Assert.Equal(ErrorIds.ConfigFileWriteFailed, ex.ErrorId);
            Assert.Contains("The file was left as it was", ex.Message);
            Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside")));
            Assert.Equal(new[] { Path.Combine(dir, "other.yml") }, Directory.GetFiles(dir));
        }

        [Fact]
        public void A_successful_write_replaces_the_content_and_keeps_the_bom_flag()
        {
            var path = TestSupport.TempFile("kratos.yml", "a: 1\n");
            ConfigFileStore.WriteAtomic(path, "a: 2\n", true);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', (byte)':', (byte)' ', (byte)'2', (byte)'\n' }, File.ReadAllBytes(path));
            TestSupport.AssertNoTempFiles(path);
        }
    }
}

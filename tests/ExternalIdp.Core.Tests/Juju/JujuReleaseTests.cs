using System.Linq;
using ExternalIdp.Core;
using Xunit;

namespace ExternalIdp.Core.Tests.Juju
{
    /// <summary>
    /// The Kratos release of a Juju model: -KratosVersion, else the kratos application's workload version in
    /// juju status, else the newest release ExternalIdp knows. The charm passes only keys every release has,
    /// so only a kind can be too new; juju status is asked before a change only when a kind is.
    /// </summary>
    public class JujuReleaseTests
    {
        private static IdpSettings DingTalk() => new IdpSettings
        {
            Provider = "dingtalk", ClientId = "ding-client", ClientSecret = TestSecrets.Plain("ding-secret-1"),
        };

        [Fact]
        public void A_kind_older_Kratos_does_not_know_is_refused_before_anything_changes()
        {
            using var m = new FakeJujuModel(kratosVersion: "0.10.1");
            var e = Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, DingTalk(), new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.NotSupportedByVersion, e.ErrorId);
            Assert.StartsWith("the current Juju model (kratos application 'kratos') runs Kratos v0.10.1 (the workload version of 'kratos' in juju status), which does not accept provider 'dingtalk' (from v0.11.1)", e.Message);
            Assert.EndsWith("Choose another -Provider, or upgrade Kratos to v0.11.1 or later; if it already runs a newer release than v0.10.1, say which with -KratosVersion.", e.Message);
            Assert.Equal(new[] { "status" }, m.Calls().Select(c => c[0]));
            Assert.Null(m.App("dingtalk-idp"));

            // Set -Provider dingtalk too; told that Kratos is newer, both go ahead.
            m.Target().Add(null, JujuWorkflowTests.GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            var set = Assert.Throws<ExternalIdpException>(() => m.Target().Set("corp-google-idp", new IdpSettings { Provider = "dingtalk" }, new OperationOptions(), SilentHost.Instance));
            Assert.Equal(ErrorIds.NotSupportedByVersion, set.ErrorId);
            Assert.Equal("google", (string)m.App("corp-google-idp")["Config"]!["provider"]);
            Assert.Equal(ErrorIds.NotSupportedByVersion, Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, DingTalk(), new OperationOptions { KratosVersion = "0.11" }, SilentHost.Instance)).ErrorId);
            var idp = m.Target().Add(null, DingTalk(), new OperationOptions { KratosVersion = "0.11.1" }, SilentHost.Instance);
            Assert.Equal("v0.11.1", idp.KratosVersion);
            Assert.Equal("-KratosVersion", idp.KratosVersionSource);

            // Get, by the workload version, reports it with the key and the release.
            var got = m.Target().GetIdps(SilentHost.Instance).Single(i => i.Name == "dingtalk-idp");
            Assert.Equal("v0.10.1", got.KratosVersion);
            Assert.Contains("Kratos v0.10.1 (the workload version of 'kratos' in juju status) does not accept provider 'dingtalk' (from v0.11.1)", got.Problems);
        }

        [Fact]
        public void Juju_status_is_read_only_when_the_release_matters()
        {
            using var m = new FakeJujuModel();
            var google = m.Target().Add(null, JujuWorkflowTests.GoogleIdp(), new OperationOptions(), SilentHost.Instance);
            Assert.DoesNotContain(m.Calls(), c => c[0] == "status");
            Assert.Null(google.KratosVersion); // nothing in it depends on the release

            m.ClearLog();
            var ding = m.Target().Add(null, DingTalk(), new OperationOptions(), SilentHost.Instance);
            Assert.Equal("status", m.Calls()[0][0]);
            Assert.Equal("v26.2.0", ding.KratosVersion);
            Assert.Equal("the workload version of 'kratos' in juju status", ding.KratosVersionSource);
            Assert.Empty(ding.Problems);
        }

        [Fact]
        public void A_KratosVersion_that_is_no_release_is_refused_before_juju_is_asked()
        {
            using var m = new FakeJujuModel();
            var e = Assert.Throws<ExternalIdpException>(() => m.Target().Add(null, DingTalk(), new OperationOptions { KratosVersion = "latest" }, SilentHost.Instance));
            Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
            Assert.Contains("-KratosVersion 'latest' is not a Kratos release number", e.Message);
            Assert.Empty(m.Calls());
        }
    }
}

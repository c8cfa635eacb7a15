using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core;
using ExternalIdp.Core.DesiredState;
using Xunit;

namespace ExternalIdp.Core.Tests.DesiredState
{
    /// <summary>Reading and writing the desired-state file (version 1).</summary>
    public class DesiredStateFileTests
    {
        private const string Valid = @"# Kratos IdPs of production
version: 1
idps:
  google:
    provider: google
    client_id: 1234-abc.apps.googleusercontent.com
    client_secret: google-prod
    label: Sign in with Google
    scope: [email, profile]
  entra:
    provider: microsoft
    provider_id: entra-id
    client_id: 0b7c5a8e-1111-4222-8333-944455556666
    client_secret: entra
    tenant: contoso.onmicrosoft.com
    scope:
      - openid
      - email
  facebook:
    provider: facebook
    client_id: 1234567890
    label: ''
    auth_url: https://www.facebook.com/v19.0/dialog/oauth
    requested_claims:
      id_token:
        email:
          essential: true
";

        private static ExternalIdpException Refused(string text, bool json = false)
            => Assert.Throws<ExternalIdpException>(() => DesiredStateFile.Parse(text, "desired.yml", json));

        [Fact]
        public void ReadsSettingsSecretNamesAndKeysWrittenAsTheyAre()
        {
            var idps = DesiredStateFile.Parse(Valid, "desired.yml", json: false);
            Assert.Equal(new[] { "google", "entra", "facebook" }, idps.Select(i => i.Name));
            var g = idps[0];
            Assert.Equal("google", g.Settings.Provider);
            Assert.Equal("Sign in with Google", g.Settings.Label);
            Assert.Equal(new[] { "email", "profile" }, g.Settings.Scope);
            Assert.Null(g.Settings.ClientSecret);
            Assert.Equal("google-prod", g.SecretNames["client_secret"]);
            Assert.Null(g.Settings.TenantId);
            Assert.Equal("google", g.ProviderId);
            Assert.Contains("desired.yml, line 4, column 3", g.Origin);
            var e = idps[1];
            Assert.Equal("entra-id", e.ProviderId);
            Assert.Equal("contoso.onmicrosoft.com", e.Settings.TenantId);
            var f = idps[2];
            Assert.Equal("1234567890", f.Settings.ClientId);          // every scalar is text
            Assert.Equal("", f.Settings.Label);                       // empty: the label absent
            Assert.Equal("https://www.facebook.com/v19.0/dialog/oauth", f.Settings[FieldTable.AuthUrl].Text);   // a setting (-AuthUrl)
            Assert.False(f.Extras.ContainsKey("auth_url"));
            var claims = (IDictionary<string, object>)f.Extras["requested_claims"];
            Assert.Equal(true, ((IDictionary<string, object>)((IDictionary<string, object>)claims["id_token"])["email"])["essential"]);
        }

        [Fact]
        public void JsonReadsTheSame()
        {
            var json = @"{
  ""version"": 1,
  ""idps"": {
    ""google"": { ""provider"": ""google"", ""client_id"": ""c"", ""client_secret"": ""g"", ""scope"": [""email""] }
  }
}";
            var idps = DesiredStateFile.Parse(json, "desired.json", json: true);
            Assert.Single(idps);
            Assert.Equal("g", idps[0].SecretNames["client_secret"]);
            Assert.Equal(new[] { "email" }, idps[0].Settings.Scope);
        }

        [Fact]
        public void AnUnknownKeyIsRefusedWithLineAndColumnAndAHint()
        {
            var e = Refused("version: 1\nidps:\n  google:\n    provider: google\n    clientid: x\n    id: google\n");
            Assert.Equal(ErrorIds.DesiredStateInvalid, e.ErrorId);
            Assert.Contains("desired.yml, line 5, column 5: unknown setting 'clientid'", e.Message);
            Assert.Contains("Did you mean 'client_id'?", e.Message);
            Assert.Contains("line 6, column 5: unknown setting 'id'", e.Message);
            Assert.Contains("calls Kratos's 'id' 'provider_id'", e.Message);
        }

        [Fact]
        public void DuplicatesAreRefused()
        {
            var e = Refused("version: 1\nidps:\n  google:\n    provider: google\n  google:\n    provider: github\n");
            Assert.Contains("line 5, column 3: the IdP name 'google' appears twice (first at line 3, column 3)", e.Message);
            e = Refused("version: 1\nidps:\n  a:\n    provider_id: same\n  b:\n    provider_id: same\n");
            Assert.Contains("line 5, column 3: the IdP 'b' has the provider id 'same', which the IdP 'a' (line 3) has too", e.Message);
            e = Refused("version: 1\nidps:\n  a:\n    label: x\n    label: y\n");
            Assert.Contains("line 5, column 5", e.Message);
            e = Refused("{\"version\": 1, \"idps\": {\"a\": {}, \"a\": {}}}", json: true);
            Assert.Contains("desired.yml, line 1", e.Message);
            Assert.Contains("already exists", e.Message);
        }

        [Fact]
        public void WrongTypesAreRefused()
        {
            var e = Refused("version: 1\nidps:\n  google:\n    scope: email profile\n    label: [a]\n    client_secret: ''\n");
            Assert.Contains("line 4, column 12: 'scope' of 'google' is a single value; it takes a list", e.Message);
            Assert.Contains("line 5, column 12: 'label' of 'google' is a list; it takes one text value", e.Message);
            Assert.Contains("line 6, column 20: 'client_secret' of 'google' must name a secret", e.Message);
            e = Refused("version: 1\nidps:\n  - google\n");
            Assert.Contains("'idps' is a list", e.Message);
        }

        [Fact]
        public void TheVersionIsRequiredAndChecked()
        {
            Assert.Contains("there is no 'version' key", Refused("idps: {}\n").Message);
            Assert.Contains("version '2' is not one this ExternalIdp reads", Refused("version: 2\nidps: {}\n").Message);
            Assert.Contains("unknown top-level key 'providers'", Refused("version: 1\nidps: {}\nproviders: []\n").Message);
            Assert.Empty(DesiredStateFile.Parse("version: 1\nidps: {}\n", "d.yml", false));
        }

        [Fact]
        public void BrokenYamlAndJsonGiveTheirPlace()
        {
            var e = Refused("version: 1\nidps:\n  google: [\n");
            Assert.Contains("not valid YAML", e.Message);
            Assert.Matches(@"line \d+, column \d+", e.Message);
            e = Refused("{\"version\": 1,\n \"idps\": {\n \"a\": }", json: true);
            Assert.Contains("line 3", e.Message);
            Assert.Contains("not valid JSON", e.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void WhatIsWrittenReadsBackTheSame(bool json)
        {
            var idps = DesiredStateFile.Parse(Valid, "desired.yml", json: false);
            idps[0].Settings.Label = "true";            // texts YAML would read as something else are quoted
            idps[1].Settings.ClientId = "- x: #y";
            var text = DesiredStateFile.Render(idps, json, "written by a test");
            var again = DesiredStateFile.Parse(text, "again", json);
            Assert.Equal(DesiredStateFile.Render(idps, json, "written by a test"), DesiredStateFile.Render(again, json, "written by a test"));
            Assert.Equal("true", again[0].Settings.Label);
            Assert.Equal("- x: #y", again[1].Settings.ClientId);
            Assert.Equal("google-prod", again[0].SecretNames["client_secret"]);
            if (!json) Assert.StartsWith("# written by a test\nversion: 1\nidps:\n  google:\n    provider: google\n", text);
        }

        [Fact]
        public void WriteReplacesTheFileAndLeavesNoTempFile()
        {
            var dir = Path.Combine(Path.GetTempPath(), "eidp-ds-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                var path = Path.Combine(dir, "desired.yml");
                DesiredStateFile.Write(path, "version: 1\nidps: {}\n");
                DesiredStateFile.Write(path, "version: 1\nidps: {}\n# again\n");
                Assert.Equal("version: 1\nidps: {}\n# again\n", File.ReadAllText(path));
                Assert.Single(Directory.GetFiles(dir));
                var missing = Assert.Throws<ExternalIdpException>(() => DesiredStateFile.Load(Path.Combine(dir, "none.yml")));
                Assert.Equal(ErrorIds.DesiredStateFileError, missing.ErrorId);
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}

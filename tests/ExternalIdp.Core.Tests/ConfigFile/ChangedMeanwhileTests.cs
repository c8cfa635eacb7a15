using System;
using System.IO;
using System.Linq;
using System.Threading;
using ExternalIdp.Core;
using ExternalIdp.Core.ConfigFile;
using Xunit;
using static ExternalIdp.Core.Tests.ConfigFile.TestSupport;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>
    /// A change is planned and checked before the ShouldProcess question and written under the lock:
    /// when someone else changed the file in between, the change is made on the file as it is then.
    /// </summary>
    public class ChangedMeanwhileTests
    {
        private static readonly OperationOptions Opt = new OperationOptions();

        /// <summary>Runs an edit of the file when asked, as another writer would between question and write.</summary>
        private sealed class EditWhenAskedHost : ICoreHost
        {
            public Action OnAsk;
            public void WriteVerbose(string message) { }
            public void WriteDebug(string message) { }
            public void WriteWarning(string message) { }
            public void WriteProgress(string activity, string status, int percent, bool completed) { }
            public bool ShouldProcess(string target, string action) { OnAsk?.Invoke(); return true; }
            public CancellationToken Cancellation => CancellationToken.None;
        }

        private static EditWhenAskedHost Editing(string path, string from, string to) => new EditWhenAskedHost
        {
            OnAsk = () => File.WriteAllText(path, File.ReadAllText(path).Replace(from, to)),
        };

        [Fact]
        public void Add_keeps_an_edit_made_after_the_question()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            new ConfigFileTarget(path, null).Add(null, Google(), Opt, Editing(path, "level: debug", "level: info"));
            var text = File.ReadAllText(path);
            Assert.Contains("  level: info\n", text);
            Assert.Contains("- id: test-google\n", text);
            Assert.Equal(new[] { "github", "test-google" }, new ConfigFileTarget(path, null).GetIdps(null).Select(i => i.Name));
        }

        [Fact]
        public void Set_keeps_an_edit_made_after_the_question()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var idp = new ConfigFileTarget(path, null).Set("github", new IdpSettings { Label = "Staff GitHub" }, Opt,
                Editing(path, "client_id: gh-client", "client_id: gh-client-2"));
            Assert.Equal("Staff GitHub", idp.Label);
            Assert.Equal("gh-client-2", idp.ClientId);
            var back = new ConfigFileTarget(path, null).GetIdps(null).Single();
            Assert.Equal("Staff GitHub", back.Label);
            Assert.Equal("gh-client-2", back.ClientId);
        }

        [Fact]
        public void Remove_keeps_an_edit_made_after_the_question()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            Assert.True(new ConfigFileTarget(path, null).Remove("github", Opt, Editing(path, "level: debug", "level: info")));
            var text = File.ReadAllText(path);
            Assert.Contains("  level: info\n", text);
            Assert.DoesNotContain("gh-client", text);
        }

        [Fact]
        public void Set_of_an_entry_removed_after_the_question_fails_and_leaves_the_file()
        {
            var path = TempFile("kratos.yml", EditTests.Base);
            var gone = EditTests.Base.Replace("id: github # main", "id: renamed");
            var host = new EditWhenAskedHost { OnAsk = () => File.WriteAllText(path, gone) };
            var ex = Assert.Throws<ExternalIdpException>(() => new ConfigFileTarget(path, null).Set("github", new IdpSettings { Label = "x" }, Opt, host));
            Assert.Equal(ErrorIds.IdpNotFound, ex.ErrorId);
            Assert.Equal(gone, File.ReadAllText(path));
        }
    }
}

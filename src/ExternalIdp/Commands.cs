using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ExternalIdp.Core;

namespace ExternalIdp.Commands
{
    /// <summary>Add-KratosIdp: registers a new external identity provider and returns it.</summary>
    [Cmdlet(VerbsCommon.Add, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = ExplicitSet)]
    [OutputType(typeof(KratosIdp))]
    public sealed class AddKratosIdpCommand : KratosSettingsCmdletBase
    {
        /// <summary>Config file: the provider id (optional). Juju: the integrator application's name (optional).</summary>
        [Parameter(Position = 0)]
        public string Name { get; set; }

        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string Provider { get; set; }

        /// <summary>Juju: the charm channel to deploy from.</summary>
        [Parameter]
        public string Channel { get; set; }

        protected override void ProcessRecord()
        {
            IdpSettings settings = null;
            if (!Invoke(() => { settings = BuildSettings(); }, Name)) return;
            if (string.IsNullOrEmpty(settings.ClientId))
            {
                WriteError(ToErrorRecord(new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    "Add-KratosIdp needs the OAuth2 client id: give -ClientId (with -ClientSecret), or -Credential whose user name is the client id and whose password is the client secret.",
                    Name)));
                return;
            }
            if (!RefuseJujuOnly("Channel", "Wait", "TimeoutSec")) return;
            var target = OpenTarget();
            var options = BuildOptions();
            options.Channel = NullIfEmpty(Channel);
            var idp = Invoke(() => target.Add(NullIfEmpty(Name), settings, options, CoreHost), Name ?? settings.ProviderId);
            if (idp == null) return;
            target.Stamp(idp);
            WriteObject(idp);
        }
    }

    /// <summary>Get-KratosIdp: lists the external identity providers.</summary>
    [Cmdlet(VerbsCommon.Get, "KratosIdp")]
    [OutputType(typeof(KratosIdp))]
    public sealed class GetKratosIdpCommand : KratosCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("TimeoutSec")) return;
            var target = OpenTarget();
            var all = Invoke(() => target.GetIdps(CoreHost, Options()), ConfigPath ?? Model);
            if (all == null) return;
            var result = SelectByName(all, i => i.Name, Name, target.Description);
            foreach (var i in result)
            {
                target.Stamp(i);
                WriteObject(i);
            }
        }
    }

    /// <summary>Set-KratosIdpProvider: changes the provider settings of an existing IdP.</summary>
    [Cmdlet(VerbsCommon.Set, "KratosIdpProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = ExplicitSet)]
    [OutputType(typeof(KratosIdp))]
    public sealed class SetKratosIdpProviderCommand : KratosSettingsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string Name { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string Provider { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            IdpSettings changes = null;
            if (!Invoke(() => { changes = BuildSettings(); }, Name)) return;
            if (!RefuseJujuOnly("Wait", "TimeoutSec")) return;
            var target = OpenTarget();
            var idp = Invoke(() => target.Set(Name, changes, BuildOptions(), CoreHost), Name);
            if (idp == null || !PassThru) return;
            target.Stamp(idp);
            WriteObject(idp);
        }
    }

    /// <summary>Remove-KratosIdp: unregisters IdPs.</summary>
    [Cmdlet(VerbsCommon.Remove, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KratosIdp))]
    public sealed class RemoveKratosIdpCommand : KratosCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Juju: also remove the integrator application (default: only its relation to kratos).</summary>
        [Parameter]
        public SwitchParameter RemoveApplication { get; set; }

        /// <summary>Returns each removed IdP as it was before removal (nothing for one there was nothing to remove from).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("RemoveApplication", "TimeoutSec")) return;
            var target = OpenTarget();
            var options = Options();
            options.RemoveApplication = RemoveApplication.IsPresent;
            IReadOnlyList<KratosIdp> before = null;
            if (PassThru && !Invoke(() => { before = target.GetIdps(CoreHost, options); }, ConfigPath ?? Model)) return;
            foreach (var n in Name)
            {
                bool removed = false;
                if (!Invoke(() => { removed = target.Remove(n, options, CoreHost); }, n) || !removed) continue;
                if (!PassThru) continue;
                var old = before?.FirstOrDefault(i => string.Equals(i.Name, n, StringComparison.Ordinal));
                if (old == null) continue;
                target.Stamp(old);
                WriteObject(old);
            }
        }
    }

    public abstract class SetEnabledCommandBase : KratosCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Juju: wait until the integrator reports the provider ready (Enable) or disabled (Disable).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected abstract bool Enable { get; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("Wait", "TimeoutSec")) return;
            var target = OpenTarget();
            var options = Options();
            options.Wait = Wait.IsPresent;
            foreach (var n in Name)
            {
                var idp = Invoke(() => target.SetEnabled(n, Enable, options, CoreHost), n);
                if (idp == null || !PassThru) continue;
                target.Stamp(idp);
                WriteObject(idp);
            }
        }
    }

    /// <summary>Enable-KratosIdp: switches an IdP on (Juju: the integrator's enabled option).</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KratosIdp))]
    public sealed class EnableKratosIdpCommand : SetEnabledCommandBase
    {
        protected override bool Enable => true;
    }

    /// <summary>Disable-KratosIdp: switches an IdP off without removing it (Juju: enabled=false).</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KratosIdp))]
    public sealed class DisableKratosIdpCommand : SetEnabledCommandBase
    {
        protected override bool Enable => false;
    }

    /// <summary>Get-KratosRedirectUri: the callback URI to register at the identity provider.</summary>
    [Cmdlet(VerbsCommon.Get, "KratosRedirectUri")]
    [OutputType(typeof(KratosRedirectUri))]
    public sealed class GetKratosRedirectUriCommand : KratosCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>The public base URL of Kratos to use instead of the one the target knows.</summary>
        [Parameter]
        public string PublicUrl { get; set; }

        /// <summary>Juju: only the integrator's get-redirect-uri answer, never a computed URI.</summary>
        [Parameter]
        public SwitchParameter ActionOnly { get; set; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("ActionOnly", "TimeoutSec")) return;
            string given = null;
            if (!Invoke(() => { given = RedirectUris.GivenPublicUrl(PublicUrl); }, PublicUrl)) return;
            var target = OpenTarget();
            var options = Options();
            options.PublicUrl = given;
            options.ActionOnly = ActionOnly.IsPresent;
            foreach (var n in Name)
            {
                var uri = Invoke(() => target.GetRedirectUri(n, options, CoreHost), n);
                if (uri != null) WriteObject(uri);
            }
        }
    }

    /// <summary>Get-KratosPublicUrl: Kratos's public base URL.</summary>
    [Cmdlet(VerbsCommon.Get, "KratosPublicUrl")]
    [OutputType(typeof(KratosPublicUrl))]
    public sealed class GetKratosPublicUrlCommand : KratosCmdletBase
    {
        /// <summary>A public base URL to report instead of asking the target (normalised and checked).</summary>
        [Parameter]
        public string PublicUrl { get; set; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("TimeoutSec")) return;
            // Checked here, the same for every target: when given, it is the answer (Source "parameter").
            string given = null;
            if (!Invoke(() => { given = RedirectUris.GivenPublicUrl(PublicUrl); }, PublicUrl)) return;
            var target = OpenTarget();
            var url = Invoke(() => target.GetPublicUrl(PublicUrlOptions(given), CoreHost), ConfigPath ?? Model);
            if (url != null) WriteObject(url);
        }

        private OperationOptions PublicUrlOptions(string given)
        {
            var o = Options();
            o.PublicUrl = given;
            return o;
        }
    }
}

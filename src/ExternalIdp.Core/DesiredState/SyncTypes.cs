using System;
using System.Collections.Generic;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>What Compare-KratosIdp and Sync-KratosIdp ask of a target (IIdpTarget.SyncDesired).</summary>
    public sealed class SyncRequest
    {
        /// <summary>The desired IdPs, secrets resolved as far as they could be.</summary>
        public IReadOnlyList<DesiredIdp> Desired { get; set; } = new DesiredIdp[0];

        /// <summary>Also remove the IdPs of the target that the desired state doesn't name.</summary>
        public bool Prune { get; set; }

        /// <summary>Compare: read and plan only. A config file is not locked, nothing is asked and nothing changes.</summary>
        public bool DryRun { get; set; }

        /// <summary>Sync -PassThru: read back the resulting IdPs.</summary>
        public bool WantResults { get; set; }

        /// <summary>Juju: -Prune removes the integrator application too (default: only its relation to kratos).</summary>
        public bool RemoveApplication { get; set; }

        /// <summary>-KratosVersion: the Kratos release to check keys and kinds against, instead of the one the target records.</summary>
        public string KratosVersion { get; set; }
    }

    /// <summary>What a target holds, read once, as the planner sees it.</summary>
    public sealed class TargetSnapshot
    {
        public TargetSnapshot(string targetType, string description, IReadOnlyList<TargetIdp> idps)
        {
            TargetType = targetType;
            Description = description;
            Idps = idps;
        }

        public string TargetType { get; }
        public string Description { get; }
        public IReadOnlyList<TargetIdp> Idps { get; }

        /// <summary>The Kratos release that reads the target, resolved as Get resolves it (-KratosVersion, else what the target records).</summary>
        public KratosRelease Release { get; set; }

        /// <summary>Config file: an IdP's name is its provider id, so desired IdPs are matched by provider id.</summary>
        public bool NamesAreProviderIds { get; set; }

        /// <summary>The name a desired IdP gets on this target (Juju: a valid application name). Identity when null.</summary>
        public Func<DesiredIdp, string> NameFor { get; set; }
    }

    /// <summary>One IdP of a target as read for Compare and Sync.</summary>
    public sealed class TargetIdp
    {
        public TargetIdp(KratosIdp idp, ProviderEntry settings, bool live)
        {
            Idp = idp;
            Settings = settings ?? new ProviderEntry();
            Live = live;
        }

        /// <summary>What Get-KratosIdp returns for it.</summary>
        public KratosIdp Idp { get; }

        /// <summary>
        /// Its provider entry by Kratos key (Juju: what the integrator's options stand for), secrets
        /// included as text. Never leaves the core: only the planner (secrets compared, never shown) and
        /// a Sync that carries the secrets to another target read it.
        /// </summary>
        internal ProviderEntry Settings { get; }

        /// <summary>Whether Kratos uses it (Juju: the integrator is related to kratos; config file: always).</summary>
        public bool Live { get; }

        /// <summary>The text of a secret of its entry, or null.</summary>
        internal string Secret(Field f) => Settings.Text(f.Key);

        /// <summary>The value of a key without a parameter, as Compare and Sync see it (DesiredSettings.Neutral).</summary>
        internal object Extra(string kratosKey) => DesiredSettings.Neutral(Settings[kratosKey]);
    }

    public enum PlanAction
    {
        None,
        Add,
        Change,
        Remove,
    }

    /// <summary>What Sync does to one IdP (or why it can't).</summary>
    public sealed class IdpPlan
    {
        /// <summary>The IdP's name on the target (existing, or the one it gets).</summary>
        public string Name { get; internal set; }
        public string ProviderId { get; internal set; }
        public DesiredIdp Desired { get; internal set; }
        public TargetIdp Actual { get; internal set; }
        public PlanAction Action { get; internal set; }
        public List<KratosIdpDifference> Differences { get; } = new List<KratosIdpDifference>();

        /// <summary>Add: every setting; Change: only those that differ.</summary>
        public IdpSettings Settings { get; internal set; }

        /// <summary>Keys without a parameter to write (Add: all; Change: those that differ).</summary>
        public IDictionary<string, object> Extras { get; } = new Dictionary<string, object>(StringComparer.Ordinal);

        /// <summary>Why this IdP can't be synced (nothing is done to it); null when it can.</summary>
        public ExternalIdpException Error { get; internal set; }

        /// <summary>The ShouldProcess action text: the planned changes, never a secret.</summary>
        public string Description { get; internal set; }

        /// <summary>Whether the change was made (false when declined, failed or nothing to do).</summary>
        public bool Applied { get; internal set; }

        /// <summary>The IdP after the Sync (with SyncRequest.WantResults), or null.</summary>
        public KratosIdp Result { get; internal set; }

        public override string ToString() => $"{Action} {Name}";
    }

    /// <summary>What a target did for SyncDesired.</summary>
    public sealed class SyncResult
    {
        public SyncResult(TargetSnapshot snapshot, IReadOnlyList<IdpPlan> plans)
        {
            Snapshot = snapshot;
            Plans = plans;
        }

        public TargetSnapshot Snapshot { get; }
        public IReadOnlyList<IdpPlan> Plans { get; }

        /// <summary>Config file: how often this Sync read and wrote the file (diagnostics and benchmarks).</summary>
        public int FileReads { get; internal set; }
        public int FileWrites { get; internal set; }
    }
}

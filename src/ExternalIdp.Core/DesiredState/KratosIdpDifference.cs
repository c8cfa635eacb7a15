namespace ExternalIdp
{
    /// <summary>
    /// One way a target differs from the desired state (Compare-KratosIdp): an IdP to add, a
    /// property to change, or an IdP to remove (with -Prune). Never holds a secret: a secret shows
    /// as "(secret 'name')" against "(differs)" or "(none)".
    /// </summary>
    public sealed class KratosIdpDifference
    {
        /// <summary>The IdP's name on the target (Juju: the integrator application).</summary>
        public string Name { get; set; }
        /// <summary>Add, Change or Remove.</summary>
        public string Action { get; set; }
        /// <summary>The desired-state setting that differs (client_id, scope, ...); null for Add and Remove.</summary>
        public string Property { get; set; }
        /// <summary>What the desired state says: text, a list of texts, or for Add the provider kind.</summary>
        public object Desired { get; set; }
        /// <summary>What the target holds: text, a list of texts, or for Remove the provider kind.</summary>
        public object Actual { get; set; }
        /// <summary>The provider id the IdP has (Add: will have).</summary>
        public string ProviderId { get; set; }

        public string TargetType { get; set; }
        public string ConfigPath { get; set; }
        public string ConfigRoot { get; set; }
        public string Model { get; set; }
        public string KratosApplication { get; set; }

        public override string ToString() => Property == null ? $"{Action} {Name}" : $"{Action} {Name}.{Property}";
    }
}

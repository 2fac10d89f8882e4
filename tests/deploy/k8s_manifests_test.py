#!/usr/bin/env python3
"""Checks the Kubernetes manifests in k8s/ against the code, without a cluster.

Renders k8s/overlays/{dev,prod} with `kubectl kustomize` (or `kustomize build`)
when one is installed; otherwise reads the files each kustomization.yaml lists
(base and components, overlays' patches not applied) and checks those.

What it checks, for every overlay:
  - every service in services/*/ (with a main.cc) and the gateway has a
    Deployment running its binary, and every gRPC service a headless Service;
  - ports: gRPC port as in the README, metrics on port + 1000, the same port
    in AGORA_LISTEN, AGORA_METRICS_PORT, the probes, the Service and the
    Prometheus annotations;
  - every AGORA_* variable a container gets names a flag its binary defines
    (libs/config reads AGORA_<FLAG>; a misspelt one is silently ignored);
  - gRPC addresses in the configuration name existing Services and ports;
  - every container runs as non-root with a read-only root filesystem, no
    privilege escalation and every capability dropped;
  - terminationGracePeriodSeconds above --drain_grace + --shutdown_deadline;
  - ConfigMaps and Secrets referenced, PodDisruptionBudgets, autoscaling
    (ranking in prod: 3-20), default-deny NetworkPolicy.

Run: python3 tests/deploy/k8s_manifests_test.py   (needs python3-yaml)
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import unittest

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("k8s_manifests_test: needs PyYAML (Debian: apt-get install python3-yaml)")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K8S = os.path.join(ROOT, "k8s")

# The ports of README.md's table.
GRPC_PORTS = {
    "identity": 50051,
    "content": 50052,
    "ranking": 50053,
    "moderation": 50054,
    "share": 50055,
}
GATEWAY_PORT = 8080
# Secrets created outside the manifests (docs/operations.md, "Secrets");
# agora-postgres only with components/in-cluster-datastores.
KNOWN_SECRETS = {
    "agora-pgpass",
    "agora-identity-kek",
    "agora-content-service-account",
    "agora-gateway-service-account",
    "agora-gateway-visitor-key",
    "agora-postgres",
    "agora-tls",
}
# Created by the identity-jwks-publish CronJob, not by kustomize.
JOB_MADE_CONFIGMAPS = {"agora-jwks"}
NON_FLAG_VARIABLES = {"PGPASSFILE", "HOME", "POD_NAMESPACE"}


def renderer():
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    return None


def load_yaml_documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def files_of_kustomization(directory):
    """Documents of the resources and components a kustomization lists."""
    kustomization = load_yaml_documents(os.path.join(directory, "kustomization.yaml"))[0]
    documents = []
    for entry in kustomization.get("resources", []) + kustomization.get("components", []):
        path = os.path.normpath(os.path.join(directory, entry))
        if os.path.isdir(path):
            documents += files_of_kustomization(path)
        else:
            documents += load_yaml_documents(path)
    for generator in kustomization.get("configMapGenerator", []):
        data = dict(l.split("=", 1) for l in generator.get("literals", []))
        existing = [d for d in documents if d["kind"] == "ConfigMap" and
                    d["metadata"]["name"] == generator["name"]]
        if existing and generator.get("behavior") == "merge":
            existing[0]["data"].update(data)
            continue
        documents.append({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": generator["name"]}, "data": data})
    return documents


def render(overlay):
    command = renderer()
    directory = os.path.join(K8S, "overlays", overlay)
    if command is None:
        return files_of_kustomization(directory), False
    output = subprocess.run(command + [directory], check=True, capture_output=True,
                            text=True).stdout
    return [d for d in yaml.safe_load_all(output) if d], True


def flags_defined_under(*patterns):
    names = set()
    for pattern in patterns:
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            with open(path, errors="replace") as f:
                # ABSL_FLAG(type, name, ...); the type may hold commas
                # (std::vector<std::string>) but never the name's shape.
                for match in re.finditer(r"ABSL_FLAG\(\s*(?:[^,]*<[^>]*>|[^,]+),\s*(\w+)\s*,",
                                         f.read()):
                    names.add(match.group(1))
    return names


def binary_flags():
    shared = flags_defined_under("libs/**/*.cc")
    flags = {}
    for service in GRPC_PORTS:
        flags["agora-" + service] = shared | flags_defined_under(
            f"services/{service}/**/*.cc")
    flags["agora-gateway"] = shared | flags_defined_under("gateway/**/*.cc")
    return flags


def pod_specs(documents):
    """(workload kind/name, pod spec) of every workload."""
    for d in documents:
        kind = d["kind"]
        if kind in ("Deployment", "StatefulSet", "Job"):
            yield f"{kind}/{d['metadata']['name']}", d["spec"]["template"]["spec"]
        elif kind == "CronJob":
            yield (f"CronJob/{d['metadata']['name']}",
                   d["spec"]["jobTemplate"]["spec"]["template"]["spec"])


def claims_of(documents, workload):
    """Volume claim template names of a StatefulSet ("StatefulSet/name")."""
    kind, name = workload.split("/", 1)
    for d in documents:
        if d["kind"] == kind == "StatefulSet" and d["metadata"]["name"] == name:
            return {c["metadata"]["name"] for c in d["spec"].get("volumeClaimTemplates", [])}
    return set()


def duration_seconds(text):
    match = re.fullmatch(r"(\d+)(ms|s|m)", text)
    assert match, text
    value, unit = int(match.group(1)), match.group(2)
    return value / 1000 if unit == "ms" else value * (60 if unit == "m" else 1)


class OverlayChecks:
    overlay = None

    @classmethod
    def setUpClass(cls):
        cls.documents, cls.rendered = render(cls.overlay)
        cls.by_kind = {}
        for d in cls.documents:
            cls.by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
        # Names without the generator's hash.
        generated = {}
        for name, d in cls.by_kind.get("ConfigMap", {}).items():
            generated[re.sub(r"-[a-z0-9]{10}$", "", name) if cls.rendered else name] = d
        cls.configmaps = generated

    def deployment(self, name):
        deployments = self.by_kind.get("Deployment", {})
        self.assertIn(name, deployments, f"no Deployment {name} in {self.overlay}")
        return deployments[name]

    def configmap_data(self, reference):
        name = re.sub(r"-[a-z0-9]{10}$", "", reference) if self.rendered else reference
        self.assertIn(name, self.configmaps, f"ConfigMap {reference} is not in {self.overlay}")
        return self.configmaps[name].get("data", {})

    def environment(self, container):
        """(variable -> value, variables from agora-common) of a container."""
        variables, common = {}, set()
        for source in container.get("envFrom", []):
            reference = source["configMapRef"]["name"]
            data = self.configmap_data(reference)
            variables.update(data)
            if reference.startswith("agora-common"):
                common |= set(data)
        for entry in container.get("env", []):
            variables[entry["name"]] = entry.get("value")
            common.discard(entry["name"])
        return variables, common

    def test_every_service_binary_has_a_deployment(self):
        services = sorted(os.path.basename(os.path.dirname(p))
                          for p in glob.glob(os.path.join(ROOT, "services", "*", "main.cc")))
        self.assertTrue(services)
        for service in services:
            self.assertIn(service, GRPC_PORTS, f"services/{service}: port unknown to this test")
            container = self.deployment(service)["spec"]["template"]["spec"]["containers"][0]
            self.assertEqual(container["command"][0], "agora-" + service)
        container = self.deployment("gateway")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(container["command"][0], "agora-gateway")

    def test_ports_probes_and_annotations_agree(self):
        for service, port in GRPC_PORTS.items():
            deployment = self.deployment(service)
            template = deployment["spec"]["template"]
            container = template["spec"]["containers"][0]
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            self.assertEqual(ports, {"grpc": port, "metrics": port + 1000}, service)
            variables, _ = self.environment(container)
            self.assertEqual(variables.get("AGORA_LISTEN"), f"0.0.0.0:{port}", service)
            self.assertEqual(variables.get("AGORA_METRICS_PORT"), str(port + 1000), service)
            self.assertEqual(container["readinessProbe"]["grpc"]["port"], port, service)
            for probe in ("livenessProbe", "startupProbe"):
                self.assertEqual(container[probe]["httpGet"],
                                 {"path": "/healthz", "port": "metrics"}, service)
            annotations = template["metadata"]["annotations"]
            self.assertEqual(annotations["prometheus.io/port"], str(port + 1000), service)
            self.assertEqual(annotations["prometheus.io/scrape"], "true", service)

            services = self.by_kind.get("Service", {})
            self.assertIn(service, services)
            spec = services[service]["spec"]
            self.assertEqual(spec.get("clusterIP"), "None", f"{service}: not headless")
            self.assertEqual([p["port"] for p in spec["ports"]], [port], service)
            labels = template["metadata"]["labels"]
            for key, value in spec["selector"].items():
                self.assertEqual(labels.get(key), value, f"{service}: selector")
        gateway = self.deployment("gateway")["spec"]["template"]
        container = gateway["spec"]["containers"][0]
        self.assertEqual(container["ports"][0]["containerPort"], GATEWAY_PORT)
        variables, _ = self.environment(container)
        self.assertEqual(variables.get("AGORA_LISTEN"), f"0.0.0.0:{GATEWAY_PORT}")
        self.assertEqual(gateway["metadata"]["annotations"]["prometheus.io/port"],
                         str(GATEWAY_PORT))

    def test_every_agora_variable_names_a_flag_of_its_binary(self):
        flags = binary_flags()
        every_flag = set().union(*flags.values())
        for workload, spec in pod_specs(self.documents):
            for container in spec.get("initContainers", []) + spec["containers"]:
                binary = (container.get("command") or [""])[0]
                if binary == "bash":  # the JWKS render step runs agora-identity
                    binary = "agora-identity"
                if binary not in flags:
                    continue
                variables, common = self.environment(container)
                for variable in variables:
                    if variable in NON_FLAG_VARIABLES or not variable.startswith("AGORA_"):
                        continue
                    flag = variable[len("AGORA_"):].lower()
                    # agora-common is shared: each of its variables must be a
                    # flag of some binary; the others, of this one.
                    allowed = every_flag if variable in common else flags[binary]
                    self.assertIn(flag, allowed,
                                  f"{workload} {container['name']}: {variable} is no flag of {binary}")

    def test_grpc_addresses_name_services_and_ports(self):
        addresses = []
        for workload, spec in pod_specs(self.documents):
            for container in spec["containers"]:
                variables, _ = self.environment(container) if "envFrom" in container else ({}, set())
                for name, value in variables.items():
                    if value and name.endswith("_ADDRESS") and value.startswith("dns:///"):
                        addresses.append((workload, value))
                    if name == "AGORA_UPSTREAMS":
                        for entry in value.split(","):
                            package, address = entry.split("=", 1)
                            service = package.split(".")[1]
                            self.assertIn(f"/{service}.", address, entry)
                            addresses.append((workload, address))
        self.assertTrue(addresses)
        for workload, address in addresses:
            match = re.fullmatch(r"dns:///([a-z-]+)\.agora\.svc\.cluster\.local:(\d+)", address)
            self.assertIsNotNone(match, f"{workload}: {address}")
            service, port = match.group(1), int(match.group(2))
            self.assertEqual(GRPC_PORTS.get(service), port, f"{workload}: {address}")

    def test_every_container_is_locked_down(self):
        for workload, spec in pod_specs(self.documents):
            pod = spec.get("securityContext", {})
            self.assertTrue(pod.get("runAsNonRoot"), workload)
            self.assertEqual(pod.get("seccompProfile", {}).get("type"), "RuntimeDefault", workload)
            for container in spec.get("initContainers", []) + spec["containers"]:
                where = f"{workload} {container['name']}"
                context = container.get("securityContext", {})
                self.assertIs(context.get("readOnlyRootFilesystem"), True, where)
                self.assertIs(context.get("allowPrivilegeEscalation"), False, where)
                self.assertEqual(context.get("capabilities", {}).get("drop"), ["ALL"], where)
                self.assertIn("limits", container.get("resources", {}), where)
                self.assertIn("requests", container.get("resources", {}), where)

    def test_grace_period_covers_the_drain(self):
        common = self.configmap_data("agora-common")
        drain = (duration_seconds(common["AGORA_DRAIN_GRACE"]) +
                 duration_seconds(common["AGORA_SHUTDOWN_DEADLINE"]))
        for name in list(GRPC_PORTS) + ["gateway"]:
            spec = self.deployment(name)["spec"]["template"]["spec"]
            self.assertGreater(spec["terminationGracePeriodSeconds"], drain, name)

    def test_referenced_configmaps_and_secrets_exist(self):
        for workload, spec in pod_specs(self.documents):
            for volume in spec.get("volumes", []):
                if "secret" in volume:
                    self.assertIn(volume["secret"]["secretName"], KNOWN_SECRETS, workload)
                if "configMap" in volume:
                    name = volume["configMap"]["name"]
                    if name in JOB_MADE_CONFIGMAPS:
                        self.assertTrue(volume["configMap"].get("optional"), workload)
                    else:
                        self.configmap_data(name)
            mounted = {v["name"] for v in spec.get("volumes", [])}
            mounted |= claims_of(self.documents, workload)
            for container in spec.get("initContainers", []) + spec["containers"]:
                for mount in container.get("volumeMounts", []):
                    self.assertIn(mount["name"], mounted, f"{workload} {container['name']}")
                # A file: secret reference must point into a mounted volume.
                variables, _ = self.environment(container)
                for name, value in variables.items():
                    if value and value.startswith("file:"):
                        path = value[len("file:"):]
                        self.assertTrue(
                            any(path.startswith(m["mountPath"] + "/")
                                for m in container.get("volumeMounts", [])),
                            f"{workload} {container['name']}: {name}={value} is not mounted")
        for ingress in self.by_kind.get("Ingress", {}).values():
            for tls in ingress["spec"].get("tls", []):
                self.assertIn(tls["secretName"], KNOWN_SECRETS)

    def test_agora_pods_carry_the_labels_network_policies_select(self):
        # grpc-services-ingress and the egress policies select
        # app.kubernetes.io/part-of=agora; the gRPC services are selected by
        # app.kubernetes.io/component=grpc-service.
        if not self.rendered:
            self.skipTest("the part-of label comes from kustomize's labels transformer")
        for d in self.documents:
            if d["kind"] not in ("Deployment", "CronJob"):
                continue
            template = (d["spec"]["jobTemplate"]["spec"]["template"] if d["kind"] == "CronJob"
                        else d["spec"]["template"])
            labels = template["metadata"]["labels"]
            name = d["metadata"]["name"]
            self.assertEqual(labels.get("app.kubernetes.io/part-of"), "agora", name)
            if name in GRPC_PORTS:
                self.assertEqual(labels.get("app.kubernetes.io/component"), "grpc-service", name)

    def test_disruption_budgets_and_default_deny(self):
        budgets = self.by_kind.get("PodDisruptionBudget", {})
        for name in list(GRPC_PORTS) + ["gateway"]:
            self.assertIn(name, budgets)
        policies = self.by_kind.get("NetworkPolicy", {})
        self.assertIn("default-deny", policies)
        self.assertEqual(policies["default-deny"]["spec"]["podSelector"], {})
        self.assertEqual(sorted(policies["default-deny"]["spec"]["policyTypes"]),
                         ["Egress", "Ingress"])


class DevOverlayTest(OverlayChecks, unittest.TestCase):
    overlay = "dev"

    def test_in_cluster_datastores_and_one_replica(self):
        if not self.rendered:
            self.skipTest("overlay patches need kubectl kustomize")
        self.assertIn("postgres", self.by_kind.get("StatefulSet", {}))
        self.assertIn("redis", self.by_kind.get("StatefulSet", {}))
        self.assertNotIn("HorizontalPodAutoscaler", self.by_kind)
        for name in list(GRPC_PORTS) + ["gateway"]:
            self.assertIn(self.deployment(name)["spec"].get("replicas", 1), (1,), name)


class ProdOverlayTest(OverlayChecks, unittest.TestCase):
    overlay = "prod"

    def test_external_datastores_and_replicas(self):
        if not self.rendered:
            self.skipTest("overlay patches need kubectl kustomize")
        self.assertNotIn("StatefulSet", self.by_kind)
        autoscalers = self.by_kind["HorizontalPodAutoscaler"]
        ranking = autoscalers["ranking"]["spec"]
        self.assertEqual((ranking["minReplicas"], ranking["maxReplicas"]), (3, 20))
        self.assertEqual(ranking["scaleTargetRef"]["name"], "ranking")
        self.assertGreaterEqual(autoscalers["gateway"]["spec"]["minReplicas"], 3)
        for name in GRPC_PORTS:
            replicas = self.deployment(name)["spec"].get("replicas")
            if name in autoscalers:
                self.assertIsNone(replicas, f"{name}: the autoscaler owns the count")
            else:
                self.assertGreaterEqual(replicas, 3, name)
        self.assertIsNone(self.deployment("gateway")["spec"].get("replicas"))


if __name__ == "__main__":
    unittest.main()

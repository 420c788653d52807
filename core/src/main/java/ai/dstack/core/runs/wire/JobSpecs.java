package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.runner.JobSshKey;
import ai.dstack.core.agents.runner.UnixUser;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.Env;
import ai.dstack.core.configurations.NodeGroup;
import ai.dstack.core.configurations.PortMapping;
import ai.dstack.core.configurations.ProbeConfig;
import ai.dstack.core.configurations.RegistryAuth;
import ai.dstack.core.configurations.ReplicaGroup;
import ai.dstack.core.configurations.RunParams;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.ServiceModel;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.resources.CpuSpec;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.runs.RetryPolicy;
import ai.dstack.core.yaml.Readers;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The job specs of a run, as dstack's job configurators build them ({@code
 * services/jobs/configurators}: {@code base.py}, {@code task.py}, {@code dev.py}, {@code
 * service.py}): one per node of a task replica, one per dev environment, one per service replica.
 *
 * <p>Differences from dstack, on purpose: the default images are {@link Settings}' (dstack's are
 * {@code dstackai/base:<version>-base|devel-ubuntu<version>}), and images are inspected through
 * {@link Settings#images()} instead of asking their registries.
 */
public final class JobSpecs {
  private JobSpecs() {}

  /** Where a repo goes when nothing says otherwise (the repo dir of dstack before 0.20). */
  public static final String LEGACY_REPO_DIR = "/workflow";

  /** The run name job specs of a plan use when the run has none yet. */
  public static final String DRY_RUN_NAME = "dry-run";

  /** dstack's image name meaning "never pull": used for offers only. */
  public static final String DUMMY_IMAGE_NAME = "scratch";

  /** The default {@code stop_duration}, in seconds. */
  public static final long DEFAULT_STOP_DURATION = 300;

  /** The default {@code home_dir}. */
  public static final String DEFAULT_HOME_DIR = "/root";

  /** The URL of the dstack server inside jobs with {@code dstack: true}. */
  public static final String RUN_SERVER_URL = "http+unix://%2Frun%2Fdstack%2Fserver.sock";

  /** Container ports dstack keeps for its own use (runner, sshd); never forwarded. */
  public static final int RESERVED_PORTS_START = 10000;

  public static final int RESERVED_PORTS_END = 10999;

  private static final String DSTACK_DIR = "/dstack";
  private static final String DSTACK_PROFILE_PATH = DSTACK_DIR + "/profile";
  private static final String UV_PYTHON_INSTALL_DIR = "/opt/uv/python";
  private static final String INSTALL_IPYKERNEL =
      "(echo 'uv pip install ipykernel...' && uv pip install -q --no-cache-dir ipykernel 2>"
          + " /dev/null) || (echo 'pip install ipykernel...' && pip install -q --no-cache-dir"
          + " ipykernel 2> /dev/null) || echo 'no uv or pip found, ipykernel was not installed'";
  private static final long DEFAULT_PROBE_TIMEOUT = 10;
  private static final long DEFAULT_PROBE_INTERVAL = 15;
  private static final long DEFAULT_PROBE_READY_AFTER = 1;
  private static final long OPENAI_MODEL_PROBE_TIMEOUT = 30;

  /**
   * What the server decides for job specs that dstack's server takes from its own settings.
   *
   * @param baseImage the image of runs that name none (dstack's {@code dstackai/base:...-base})
   * @param develImage the image with {@code nvcc: true} (dstack's {@code dstackai/base:...-devel})
   * @param dindImage the image with {@code docker: true} (dstack's {@code dstackai/dind})
   * @param defaultPython the Python version of runs on the default image that name none (dstack:
   *     the server's own Python version)
   * @param images looks images up, where dstack asks their registries
   * @param sshKeys makes the key pair the nodes of a multi-node replica share
   * @param pythonSetup whether runs without an image get dstack's Python virtual environment
   *     ({@code uv venv}), which needs the toolchain of dstack's base images
   */
  public record Settings(
      String baseImage,
      String develImage,
      String dindImage,
      String defaultPython,
      ImageInspector images,
      Supplier<JobSshKey> sshKeys,
      boolean pythonSetup) {

    /** dstack's Docker-in-Docker image. */
    public static final String DSTACK_DIND_IMAGE = "dstackai/dind";

    /** The Python of runs that name none. */
    public static final String DEFAULT_PYTHON = "3.12";

    public Settings {
      if (!RunParams.PYTHON_VERSIONS.contains(defaultPython)) {
        throw new IllegalArgumentException("unsupported default Python " + defaultPython);
      }
    }

    /**
     * {@code baseImage} for runs without an image, with or without nvcc, dstack's Docker-in-Docker
     * image, Python {@value #DEFAULT_PYTHON}, no image lookups and RSA keys for multi-node jobs.
     */
    public static Settings of(String baseImage) {
      return new Settings(
          baseImage,
          baseImage,
          DSTACK_DIND_IMAGE,
          DEFAULT_PYTHON,
          ImageInspector.NONE,
          JobSpecs::generateSshKey,
          true);
    }

    /**
     * These settings for a base image without dstack's toolchain (no {@code uv}, no {@code sudo}):
     * runs without an image get no Python virtual environment, and run on the image's own Python.
     */
    public Settings withoutPythonSetup() {
      return new Settings(baseImage, develImage, dindImage, defaultPython, images, sshKeys, false);
    }

    /** These settings, images looked up with {@code inspector}. */
    public Settings withImages(ImageInspector inspector) {
      return new Settings(
          baseImage, develImage, dindImage, defaultPython, inspector, sshKeys, pythonSetup);
    }
  }

  /**
   * One replica of a run, in a service's replica group.
   *
   * @param replicaNum the replica's number, unique across the run's groups
   * @param groupName the service replica group, or null for tasks and dev environments
   */
  public record Replica(int replicaNum, String groupName) {}

  /**
   * The replicas a run is submitted with: for a service, the minimum of each replica group,
   * numbered across groups; one otherwise; none for a scheduled run, which starts when its schedule
   * fires (dstack's {@code submit_run}).
   */
  public static List<Replica> initialReplicas(RunSpec spec) {
    var scheduled = spec.profile().schedule() != null;
    var replicas = new ArrayList<Replica>();
    if (spec.configuration() instanceof ServiceConfiguration service) {
      int replicaNum = 0;
      for (var group : Groups.replicaGroups(service)) {
        var count = scheduled ? 0 : Groups.minReplicas(group);
        for (long i = 0; i < count; i++) {
          replicas.add(new Replica(replicaNum++, group.name()));
        }
      }
    } else if (!scheduled) {
      replicas.add(new Replica(0, null));
    }
    return List.copyOf(replicas);
  }

  /**
   * The job specs of a run's plan ({@code RunPlan.job_plans[].job_spec}): replica 0 of each replica
   * group of a service, replica 0 otherwise; a run without a name is called {@value #DRY_RUN_NAME}.
   */
  public static List<JobSpec> forPlan(
      RunSpec spec, Settings settings, Map<String, String> secrets) {
    var named = spec.runName() == null ? RunSpecs.withRunName(spec, DRY_RUN_NAME) : spec;
    if (named.configuration() instanceof ServiceConfiguration service) {
      var specs = new ArrayList<JobSpec>();
      for (var group : Groups.replicaGroups(service)) {
        specs.addAll(forReplica(named, 0, group.name(), settings, secrets));
      }
      return List.copyOf(specs);
    }
    return forReplica(named, 0, null, settings, secrets);
  }

  /** The job specs of a new run's {@link #initialReplicas}, in replica order. */
  public static List<JobSpec> forSubmission(
      RunSpec spec, Settings settings, Map<String, String> secrets) {
    var specs = new ArrayList<JobSpec>();
    for (var replica : initialReplicas(spec)) {
      specs.addAll(forReplica(spec, replica.replicaNum(), replica.groupName(), settings, secrets));
    }
    return List.copyOf(specs);
  }

  /**
   * The job specs of one replica (dstack's {@code get_job_specs_from_run_spec}): its nodes for a
   * task, its one job otherwise.
   *
   * @param spec a named run spec with the server's defaults
   * @param replicaGroupName the service replica group, or null
   * @param secrets the project's secrets, by name: the image's registry credentials may refer to
   *     them ({@code ${{ secrets.NAME }}}) when the image has to be inspected
   * @throws InvalidRunSpecException where dstack's server refuses to build the jobs (an unresolved
   *     environment variable, an unknown interpolation, nothing to run)
   */
  public static List<JobSpec> forReplica(
      RunSpec spec,
      int replicaNum,
      String replicaGroupName,
      Settings settings,
      Map<String, String> secrets) {
    if (spec.runName() == null) {
      throw new IllegalArgumentException("the run spec has no run name yet");
    }
    var builder = new Builder(spec, settings, replicaGroupName, secrets);
    if (spec.configuration() instanceof TaskConfiguration task) {
      var groups = Groups.nodeGroups(task);
      int total = (int) groups.stream().mapToLong(NodeGroup::nodes).sum();
      var specs = new ArrayList<JobSpec>();
      int jobNum = 0;
      for (int groupIndex = 0; groupIndex < groups.size(); groupIndex++) {
        var group = groups.get(groupIndex);
        for (int local = 0; local < group.nodes(); local++) {
          specs.add(builder.jobSpec(replicaNum, jobNum++, total, group, groupIndex, local));
        }
      }
      return List.copyOf(specs);
    }
    return List.of(builder.jobSpec(replicaNum, 0, 1, null, 0, 0));
  }

  /**
   * A new RSA key pair for the nodes of a replica, as dstack makes it (comment {@code dstack_job}).
   */
  public static JobSshKey generateSshKey() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      var pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      var rsa = (RSAPublicKey) pair.getPublic();
      var blob = new ByteArrayOutputStream();
      var out = new DataOutputStream(blob);
      writeSshString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      writeSshString(out, rsa.getPublicExponent().toByteArray());
      writeSshString(out, rsa.getModulus().toByteArray());
      var pub =
          "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " dstack_job\n";
      return new JobSshKey(pem, pub);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no RSA key generator", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSshString(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** One configurator: the jobs of one replica of one run. */
  private static final class Builder {
    private final RunSpec spec;
    private final Settings settings;
    private final String replicaGroupName;
    private final Map<String, String> secrets;
    private final RunParams params;
    private final ReplicaGroup group; // the service replica group, or null
    private Optional<ImageConfig> imageConfig;
    private JobSshKey sshKey;

    Builder(RunSpec spec, Settings settings, String replicaGroupName, Map<String, String> secrets) {
      this.spec = spec;
      this.secrets = Map.copyOf(secrets);
      this.settings = settings;
      this.replicaGroupName = replicaGroupName;
      this.params = spec.params();
      ReplicaGroup found = null;
      if (spec.configuration() instanceof ServiceConfiguration service) {
        for (var g : Groups.replicaGroups(service)) {
          if (g.name().equals(replicaGroupName)) {
            found = g;
          }
        }
      }
      this.group = found;
    }

    JobSpec jobSpec(
        int replicaNum,
        int jobNum,
        int jobsPerReplica,
        NodeGroup nodeGroup,
        int groupIndex,
        int groupJobIndex) {
      return new JobSpec(
          replicaNum,
          jobNum,
          spec.runName() + "-" + jobNum + "-" + replicaNum,
          jobsPerReplica,
          replicaGroupName != null ? replicaGroupName : Groups.DEFAULT_NAME,
          appSpecs(nodeGroup),
          user(),
          commands(nodeGroup),
          env(),
          params.homeDir() != null ? params.homeDir() : DEFAULT_HOME_DIR,
          imageName(),
          privileged(),
          singleBranch(),
          maxDuration(),
          stopDuration(),
          spec.profile().utilizationPolicy(),
          params.registryAuth(),
          requirements(jobsPerReplica, nodeGroup),
          retry(),
          volumes(jobNum),
          sshKey(jobsPerReplica),
          workingDir(),
          spec.repoData(),
          spec.repoCodeHash(),
          repoDir(),
          repoExistsAction(),
          spec.fileArchives(),
          servicePort(),
          probes(),
          nodeGroup != null ? groupIndex : 0,
          nodeGroup != null ? nodeGroup.name() : Groups.DEFAULT_NAME,
          nodeGroup != null ? groupJobIndex : 0);
    }

    private Optional<ImageConfig> imageConfig() {
      if (imageConfig == null) {
        var auth = params.registryAuth();
        if (auth != null) {
          var interpolator = new Interpolator(Map.of("secrets", secrets));
          auth =
              new RegistryAuth(
                  interpolator.interpolate(auth.username()),
                  interpolator.interpolate(auth.password()));
        }
        imageConfig = settings.images().inspect(imageName(), auth);
      }
      return imageConfig;
    }

    private List<String> shellCommands(NodeGroup nodeGroup) {
      return switch (spec.configuration()) {
        case TaskConfiguration t -> nodeGroup.commands();
        case ServiceConfiguration s -> group != null ? group.commands() : s.commands();
        case DevEnvironmentConfiguration d -> devCommands(d);
        default -> throw new IllegalStateException();
      };
    }

    private List<String> devCommands(DevEnvironmentConfiguration dev) {
      var ide = Ides.of(dev.ide());
      var commands = new ArrayList<String>();
      if (ide != null) {
        commands.addAll(ide.installCommands(dev.version(), Ides.EXTENSIONS));
      }
      commands.add(INSTALL_IPYKERNEL);
      commands.addAll(params.setup());
      commands.add("echo");
      commands.addAll(dev.init());
      if (ide != null) {
        commands.addAll(ide.printReadmeCommands(spec.runName()));
      }
      commands.add("echo 'To connect via SSH, use: `ssh " + spec.runName() + "`'");
      commands.add("echo");
      commands.add("echo -n 'To exit, press Ctrl+C.'");
      commands.add("tail -f /dev/null");
      return commands;
    }

    private String shell() {
      var shell = params.shell();
      if (shell == null && group != null) {
        if (Boolean.TRUE.equals(group.docker())) {
          return "/bin/bash";
        }
        if (group.image() != null) {
          return "/bin/sh";
        }
      }
      if (shell != null) {
        return shell.startsWith("/") ? shell : "/bin/" + shell;
      }
      return params.image() == null ? "/bin/bash" : "/bin/sh";
    }

    private List<String> commands(NodeGroup nodeGroup) {
      var result = new ArrayList<String>();
      List<String> shellCommands;
      if (params.entrypoint() != null) {
        result.addAll(ShellWords.split(params.entrypoint()));
        result.addAll(configurationCommands());
      } else if (!(shellCommands = shellCommands(nodeGroup)).isEmpty()) {
        var all = new ArrayList<>(dstackImageCommands());
        all.addAll(shellCommands);
        result.addAll(List.of(shell(), "-i", "-c", joinShellCommands(all)));
      } else if (imageName().equals(DUMMY_IMAGE_NAME)) {
        result.add(":");
      } else {
        var config = imageConfig();
        config.map(ImageConfig::entrypoint).ifPresent(result::addAll);
        config.map(ImageConfig::cmd).ifPresent(result::addAll);
      }
      if (result.isEmpty()) {
        throw new InvalidRunSpecException(
            "Could not determine what command to run. Please specify either `commands` or"
                + " `entrypoint` in your run configuration");
      }
      return result;
    }

    private List<String> configurationCommands() {
      return switch (spec.configuration()) {
        case TaskConfiguration t -> t.commands();
        case ServiceConfiguration s -> s.commands();
        default -> List.of();
      };
    }

    private List<String> dstackImageCommands() {
      if (group != null) {
        if (Boolean.TRUE.equals(group.docker())) {
          return List.of("start-dockerd");
        }
        if (group.image() != null) {
          return List.of();
        }
      }
      if (Boolean.TRUE.equals(params.docker())) {
        return List.of("start-dockerd");
      }
      if (params.image() != null || params.entrypoint() != null || !settings.pythonSetup()) {
        return List.of();
      }
      var python = python();
      return List.of(
          "eval $(echo 'export DSTACK_VENV_DIR="
              + DSTACK_DIR
              + "/venv' | sudo tee -a "
              + DSTACK_PROFILE_PATH
              + ")",
          "sudo rm -rf $DSTACK_VENV_DIR",
          "sudo mkdir $DSTACK_VENV_DIR",
          "sudo chown $(id -u):$(id -g) $DSTACK_VENV_DIR",
          "(if UV_PYTHON_INSTALL_DIR="
              + UV_PYTHON_INSTALL_DIR
              + " uv python find "
              + python
              + " > /dev/null 2>&1; then export UV_PYTHON_INSTALL_DIR="
              + UV_PYTHON_INSTALL_DIR
              + " UV_PYTHON_DOWNLOADS=never; fi; uv venv -q --prompt dstack -p "
              + python
              + " --seed $DSTACK_VENV_DIR)",
          "eval $(echo '. $DSTACK_VENV_DIR/bin/activate' | sudo tee -a "
              + DSTACK_PROFILE_PATH
              + ")");
    }

    private String python() {
      if (group != null && group.python() != null) {
        return group.python();
      }
      return params.python() != null ? params.python() : settings.defaultPython();
    }

    private List<JobSpec.AppSpec> appSpecs(NodeGroup nodeGroup) {
      List<PortMapping> ports =
          switch (spec.configuration()) {
            case TaskConfiguration t -> nodeGroup.ports();
            case DevEnvironmentConfiguration d -> d.ports();
            default -> List.of();
          };
      var specs = new ArrayList<JobSpec.AppSpec>();
      for (var port : ports) {
        if (port.containerPort() >= RESERVED_PORTS_START
            && port.containerPort() <= RESERVED_PORTS_END) {
          continue;
        }
        specs.add(
            new JobSpec.AppSpec(
                (int) port.containerPort(),
                port.localPort() == null ? null : port.localPort().intValue(),
                "app_" + specs.size(),
                null,
                null));
      }
      return specs;
    }

    private Map<String, String> env() {
      var env = new LinkedHashMap<String, String>();
      var unresolved = new ArrayList<String>();
      var variables = params.env() == null ? Env.EMPTY : params.env();
      variables
          .variables()
          .forEach(
              (name, value) -> {
                if (value instanceof Env.Value.Literal literal) {
                  env.put(name, literal.value());
                } else {
                  unresolved.add(name);
                }
              });
      if (!unresolved.isEmpty()) {
        unresolved.sort(null);
        throw new InvalidRunSpecException(
            "not all variables are resolved: " + String.join(", ", unresolved));
      }
      if (params.dstack()) {
        env.putIfAbsent("DSTACK_SERVER_URL", RUN_SERVER_URL);
      }
      return env;
    }

    private String imageName() {
      if (group != null) {
        if (Boolean.TRUE.equals(group.docker())) {
          return settings.dindImage();
        }
        if (group.image() != null) {
          return group.image();
        }
        if (Boolean.TRUE.equals(group.nvcc())) {
          return settings.develImage();
        }
      }
      if (Boolean.TRUE.equals(params.docker())) {
        return settings.dindImage();
      }
      if (params.image() != null) {
        return params.image();
      }
      return Boolean.TRUE.equals(params.nvcc()) ? settings.develImage() : settings.baseImage();
    }

    private UnixUser user() {
      var user = params.user();
      if (user == null && group != null && group.image() != null) {
        if (group.image().equals(DUMMY_IMAGE_NAME)) {
          return null;
        }
        user = imageConfig().map(ImageConfig::user).orElse(null);
      } else if (user == null && params.image() != null) {
        if (params.image().equals(DUMMY_IMAGE_NAME)) {
          return null;
        }
        user = imageConfig().map(ImageConfig::user).orElse(null);
      }
      return user == null ? null : parseUser(user);
    }

    private boolean privileged() {
      if (group != null) {
        if (Boolean.TRUE.equals(group.docker())) {
          return true;
        }
        if (group.privileged() != null) {
          return group.privileged();
        }
      }
      return Boolean.TRUE.equals(params.docker()) || params.privileged();
    }

    private boolean singleBranch() {
      if (params.singleBranch() != null) {
        return params.singleBranch();
      }
      return !(spec.configuration() instanceof DevEnvironmentConfiguration);
    }

    private Long maxDuration() {
      var duration = spec.profile().maxDuration();
      return duration == null || duration.isOff() ? null : duration.seconds();
    }

    private Long stopDuration() {
      var duration = spec.profile().stopDuration();
      if (duration == null) {
        return DEFAULT_STOP_DURATION;
      }
      return duration.isOff() ? null : duration.seconds();
    }

    private JobSpec.Requirements requirements(int jobsPerReplica, NodeGroup nodeGroup) {
      var resources = Groups.resources(params.resources());
      var image = params.image();
      if (group != null) {
        resources = Groups.resources(group.resources());
        if (group.image() != null) {
          image = group.image();
        }
      } else if (nodeGroup != null) {
        resources = Groups.resources(nodeGroup.resources());
      }
      if (diskUnset(nodeGroup)) {
        resources =
            new ResourcesSpec(
                resources.cpu(), resources.memory(), resources.shmSize(), resources.gpu(), null);
      }
      var cpu = resources.cpu() == null ? CpuSpec.DEFAULT : resources.cpu();
      if (cpu.arch() == null && !DUMMY_IMAGE_NAME.equals(image)) {
        String arch = null;
        if (image == null) {
          arch = "x86"; // dstack's images are built for x86 only
        } else {
          var architectures =
              imageConfig().map(ImageConfig::architectures).orElse(java.util.Set.of());
          if (architectures.size() == 1) {
            arch = architectures.iterator().next();
          }
        }
        if (arch != null) {
          resources =
              new ResourcesSpec(
                  new CpuSpec(arch, cpu.count()),
                  resources.memory(),
                  resources.shmSize(),
                  resources.gpu(),
                  resources.disk());
        }
      }
      var spotPolicy = group != null && group.spotPolicy() != null ? group.spotPolicy() : null;
      if (spotPolicy == null) {
        spotPolicy =
            spec.profile().spotPolicy() != null ? spec.profile().spotPolicy() : "on-demand";
      }
      var reservation =
          group != null && group.reservation() != null
              ? group.reservation()
              : spec.profile().reservation();
      return new JobSpec.Requirements(
          resources,
          spec.profile().maxPrice(),
          spotPolicy.equals("auto") ? null : spotPolicy.equals("spot"),
          reservation,
          jobsPerReplica > 1,
          spec.profile().backendOptions());
    }

    /**
     * Whether the resources say {@code disk: null}: no disk requirement at all (what {@code dstack
     * offer} sends), which the configuration parser reads as the default disk.
     */
    private boolean diskUnset(NodeGroup nodeGroup) {
      var owner = spec.json().get("configuration");
      var groupName = group != null ? group.name() : nodeGroup != null ? nodeGroup.name() : null;
      var groups = owner.get("groups");
      if (groupName != null && groups != null && groups.isArray()) {
        owner = null;
        var configured =
            spec.configuration() instanceof ServiceConfiguration s
                ? s.groups().stream().map(ReplicaGroup::name).toList()
                : ((TaskConfiguration) spec.configuration())
                    .groups().stream().map(NodeGroup::name).toList();
        var index = configured.indexOf(groupName);
        if (index >= 0) {
          owner = groups.get(index);
        }
      }
      var resources = owner == null ? null : owner.get("resources");
      return resources != null
          && resources.isObject()
          && resources.has("disk")
          && resources.get("disk").isNull();
    }

    private JobSpec.Retry retry() {
      var policy = RetryPolicy.of(spec.profile().retry());
      return policy == null ? null : new JobSpec.Retry(policy.onEvents(), policy.durationSeconds());
    }

    private List<JobSpec.MountPoint> volumes(int jobNum) {
      var interpolator =
          new Interpolator(
              Map.of(
                  "dstack",
                  Map.of("job_num", String.valueOf(jobNum), "node_rank", String.valueOf(jobNum))));
      var volumes = new ArrayList<JobSpec.MountPoint>();
      for (var mount : params.volumes()) {
        switch (mount) {
          case ai.dstack.core.configurations.MountPoint.VolumeMount v ->
              volumes.add(
                  new JobSpec.VolumeMountPoint(
                      v.names().stream().map(interpolator::interpolate).toList(), v.path()));
          case ai.dstack.core.configurations.MountPoint.InstanceMount i ->
              volumes.add(new JobSpec.InstanceMountPoint(i.instancePath(), i.path(), i.optional()));
        }
      }
      return volumes;
    }

    private JobSshKey sshKey(int jobsPerReplica) {
      if (jobsPerReplica < 2) {
        return null;
      }
      if (sshKey == null) {
        sshKey = settings.sshKeys().get();
      }
      return sshKey;
    }

    private String workingDir() {
      var dir = params.workingDir();
      if (dir == null || dir.startsWith("~") || dir.startsWith("/")) {
        return dir;
      }
      return posixJoin(LEGACY_REPO_DIR, dir);
    }

    private String repoDir() {
      var repos = params.repos();
      if (repos != null && !repos.isEmpty()) {
        return repos.get(0).path();
      }
      return spec.repoDir() != null ? spec.repoDir() : LEGACY_REPO_DIR;
    }

    private String repoExistsAction() {
      var repos = params.repos();
      return repos == null || repos.isEmpty() ? null : repos.get(0).ifExists();
    }

    private Integer servicePort() {
      return spec.configuration() instanceof ServiceConfiguration s
          ? (int) s.port().containerPort()
          : null;
    }

    private List<JobSpec.ProbeSpec> probes() {
      if (!(spec.configuration() instanceof ServiceConfiguration service)) {
        return List.of();
      }
      if (service.probes() != null) {
        return service.probes().stream().map(Builder::probeSpec).toList();
      }
      if (!(service.model() instanceof ServiceModel.OpenAi model)) {
        return List.of();
      }
      var groups = Groups.replicaGroups(service);
      if (groups.stream().anyMatch(g -> g.router() != null)) {
        var name = replicaGroupName != null ? replicaGroupName : Groups.DEFAULT_NAME;
        var own = groups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
        if (own == null || own.router() == null) {
          return List.of(); // workers get no default probe
        }
      }
      var prefix = model.prefix() == null ? "/v1" : model.prefix();
      while (prefix.endsWith("/")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      var body =
          "{\"model\": "
              + pythonJsonString(model.name())
              + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}";
      return List.of(
          new JobSpec.ProbeSpec(
              "http",
              prefix + "/chat/completions",
              "post",
              List.of(new ProbeConfig.Header("Content-Type", "application/json")),
              body,
              OPENAI_MODEL_PROBE_TIMEOUT,
              DEFAULT_PROBE_INTERVAL,
              DEFAULT_PROBE_READY_AFTER,
              false));
    }

    private static JobSpec.ProbeSpec probeSpec(ProbeConfig probe) {
      return new JobSpec.ProbeSpec(
          probe.type(),
          probe.url() != null ? probe.url() : "/",
          probe.method() != null ? probe.method() : "get",
          probe.headers(),
          probe.body(),
          probe.timeout() != null ? probe.timeout() : DEFAULT_PROBE_TIMEOUT,
          probe.interval() != null ? probe.interval() : DEFAULT_PROBE_INTERVAL,
          probe.readyAfter() != null ? probe.readyAfter() : DEFAULT_PROBE_READY_AFTER,
          Boolean.TRUE.equals(probe.untilReady()));
    }
  }

  /** dstack's {@code _join_shell_commands}: trimmed, background commands braced, joined by &&. */
  static String joinShellCommands(List<String> commands) {
    var joined = new ArrayList<String>();
    for (var command : commands) {
      var cmd = command.strip();
      if (cmd.endsWith("&")) {
        cmd = "{ " + cmd + " }";
      }
      joined.add(cmd);
    }
    return String.join(" && ", joined);
  }

  /** dstack's {@code UnixUser.parse}: {@code user[:group]}, each a name or a number. */
  static UnixUser parseUser(String text) {
    var parts = text.split(":", -1);
    if (parts.length > 2) {
      throw new InvalidRunSpecException("invalid user format: too many parts");
    }
    if (parts[0].isEmpty()) {
      throw new InvalidRunSpecException("invalid user format: empty user name or id");
    }
    Integer uid = null;
    Integer gid = null;
    String username = null;
    String groupname = null;
    var uidNumber = Readers.pythonInt(parts[0]);
    if (uidNumber != null) {
      uid = checkedId(uidNumber, "uid");
    } else {
      username = parts[0];
    }
    if (parts.length == 2) {
      if (parts[1].isEmpty()) {
        throw new InvalidRunSpecException("invalid user format: empty group name or id");
      }
      var gidNumber = Readers.pythonInt(parts[1]);
      if (gidNumber != null) {
        gid = checkedId(gidNumber, "gid");
      } else {
        groupname = parts[1];
      }
    }
    return new UnixUser(uid, gid, username, groupname);
  }

  private static int checkedId(BigInteger id, String what) {
    if (id.signum() < 0) {
      throw new InvalidRunSpecException("invalid user format: negative " + what + " " + id);
    }
    return id.intValueExact();
  }

  /** {@code PurePosixPath(base) / path} as a string: empty and {@code .} parts dropped. */
  static String posixJoin(String base, String path) {
    var parts = new ArrayDeque<String>();
    var full = path.startsWith("/") ? path : base + "/" + path;
    for (var part : full.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** A string as Python's {@code json.dumps} writes it (non-ASCII escaped). */
  static String pythonJsonString(String text) {
    var out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

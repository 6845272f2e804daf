#!/usr/bin/python3
"""Run one container in a pod through containerd's CRI, as the kubelet does.

usage: pod.py GENERATED_DIR SOCKET HANDLER IMAGE LOG_DIR CMD...

GENERATED_DIR holds cri_pb2.py (protoc --python_out of cri.proto).  The pod
uses the runtime handler HANDLER (a RuntimeClass's) and the node's network.
Prints what the container wrote (its CRI log, without the log prefixes)
and exits with the container's exit code.
"""
import sys
import time

import grpc

sys.path.insert(0, sys.argv[1])
import cri_pb2 as cri  # noqa: E402

SERVICE = "/runtime.v1.RuntimeService/"


def call(channel, method, request, reply):
    rpc = channel.unary_unary(SERVICE + method,
                              request_serializer=request.SerializeToString,
                              response_deserializer=reply.FromString)
    return rpc(request, timeout=300)


def pod_config(log_dir):
    namespaces = cri.NamespaceOption(network=cri.NODE)
    security = cri.LinuxSandboxSecurityContext(namespace_options=namespaces)
    return cri.PodSandboxConfig(
        metadata=cri.PodSandboxMetadata(name="pod", uid="pod-uid",
                                        namespace="default"),
        hostname="pod", log_directory=log_dir,
        linux=cri.LinuxPodSandboxConfig(security_context=security))


def wait_exit(channel, container):
    while True:
        status = call(channel, "ContainerStatus",
                      cri.ContainerStatusRequest(container_id=container),
                      cri.ContainerStatusResponse).status
        if status.state == cri.CONTAINER_EXITED:
            return status.exit_code
        time.sleep(0.1)


def log_lines(path):
    # CRI log lines: TIMESTAMP STREAM TAG MESSAGE
    with open(path) as log:
        return [line.rstrip("\n").split(" ", 3)[3] for line in log]


def main():
    socket, handler, image, log_dir = sys.argv[2:6]
    command = sys.argv[6:]
    channel = grpc.insecure_channel("unix://" + socket)
    config = pod_config(log_dir)
    pod = call(channel, "RunPodSandbox",
               cri.RunPodSandboxRequest(config=config, runtime_handler=handler),
               cri.RunPodSandboxResponse).pod_sandbox_id
    try:
        container = call(channel, "CreateContainer", cri.CreateContainerRequest(
            pod_sandbox_id=pod, sandbox_config=config,
            config=cri.ContainerConfig(
                metadata=cri.ContainerMetadata(name="app"),
                image=cri.ImageSpec(image=image), command=command,
                log_path="app.log")),
            cri.CreateContainerResponse).container_id
        call(channel, "StartContainer",
             cri.StartContainerRequest(container_id=container),
             cri.StartContainerResponse)
        code = wait_exit(channel, container)
        print("\n".join(log_lines(log_dir + "/app.log")))
        call(channel, "RemoveContainer",
             cri.RemoveContainerRequest(container_id=container),
             cri.RemoveContainerResponse)
    finally:
        call(channel, "StopPodSandbox",
             cri.StopPodSandboxRequest(pod_sandbox_id=pod),
             cri.StopPodSandboxResponse)
        call(channel, "RemovePodSandbox",
             cri.RemovePodSandboxRequest(pod_sandbox_id=pod),
             cri.RemovePodSandboxResponse)
    return code


if __name__ == "__main__":
    sys.exit(main())

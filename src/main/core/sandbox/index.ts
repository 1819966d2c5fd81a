export { createSandboxHandlers, NO_SANDBOX_MESSAGE } from './commands';
export {
  isProcessAlive,
  portAnswers,
  readSandboxDescriptor,
  removeSandboxDescriptor,
  sandboxDescriptorPath,
  sandboxInfo,
  writeSandboxDescriptor,
  type SandboxInfo,
} from './descriptor';

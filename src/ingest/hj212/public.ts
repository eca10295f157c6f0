/**
 * What the rest of the hub may use of the HJ 212 gateway: the gateway as a service, the outcomes
 * of its device commands, and the codec a device speaks (the simulator is such a device).
 */
export { hj212GatewayRef, MAX_COMMAND_TIMEOUT_SECONDS, type CommandKind, type CommandRequest, type GatewayStatus, type Hj212GatewayService } from './service';
export { CommandTimeoutError, DeviceNotConnectedError, type CommandResult } from './commands';
export type { GatewayStats } from './counters';
export { buildDataUpload, buildRequestReply, encodeSegment, QN_RTN, type DataUploadCn, type UploadItem } from './encode';
export { encodeFrame, FrameDecoder } from './frame';
export { FLAG_ACK, FLAG_SPLIT, formatHj212Time, formatQn, parseHj212Time, parseSegment, type Hj212Message } from './message';

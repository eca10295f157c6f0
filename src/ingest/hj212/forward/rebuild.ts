/**
 * The uploads forwarding sends, rebuilt from what the hub stored, so that an envhub receiving them
 * stores what the device gave this hub: readings with their -Zs, -Min, -Max, -Cou and -Flag, a
 * 2041's run hours per facility, a 2021's facility status, a 2081's restart time.
 */
import { buildDataUpload, type UploadItem } from '../encode';
import type { ChangedState, StoredUpload } from './store';
import { RUN_TIME } from './store';
import { CN_OF_INTERVAL } from './targets';

/** What every forwarded upload of a monitor carries in its header. */
export interface UploadHeader {
  qn: string;
  st: string;
  pw: string;
  mn: string;
  flag: number;
}

/** A stored upload (readings, or a 2041 report) as the data segment to send. */
export function segmentOfUpload(header: UploadHeader, upload: StoredUpload): string {
  if (upload.kind === RUN_TIME) {
    // 2041: each facility's run hours of the day, SB<n>-RT
    const facilities = upload.items.flatMap((item) => (item.value === null ? [] : [{ id: item.factor, runHours: item.value }]));
    return buildDataUpload({ ...header, cn: '2041', dataTime: upload.time, items: [], facilities });
  }
  return buildDataUpload({
    ...header,
    cn: CN_OF_INTERVAL[upload.kind],
    dataTime: upload.time,
    items: upload.items.map((item) => uploadItem(upload.kind === 'RTD', item)),
  });
}

/** 2021: the facilities' run status (SB<n>-RS) and hours (SB<n>-RT) at the status's DataTime. */
export function segmentOfStatus(header: UploadHeader, status: NonNullable<ChangedState['facilityStatus']>): string {
  const facilities = status.facilities.map((f) => ({
    id: f.id,
    ...(f.runStatus === null ? {} : { runStatus: f.runStatus }),
    ...(f.runHours === null ? {} : { runHours: f.runHours }),
  }));
  return buildDataUpload({ ...header, cn: '2021', dataTime: status.time, items: [], facilities });
}

/** 2081: the logger's restart, both as DataTime and RestartTime (the hub keeps the one time). */
export function segmentOfRestart(header: UploadHeader, restartedAt: Date): string {
  return buildDataUpload({ ...header, cn: '2081', dataTime: restartedAt, items: [], times: { RestartTime: restartedAt } });
}

function uploadItem(realTime: boolean, item: StoredUpload['items'][number]): UploadItem {
  const values: UploadItem['values'] = {};
  if (item.value !== null) values[realTime ? 'Rtd' : 'Avg'] = item.value;
  if (item.converted !== null) values[realTime ? 'ZsRtd' : 'ZsAvg'] = item.converted;
  if (item.min !== null) values.Min = item.min;
  if (item.max !== null) values.Max = item.max;
  if (item.cou !== null) values.Cou = item.cou;
  return { code: item.factor, values, ...(item.flag === null ? {} : { flag: item.flag }) };
}

export const JOB_TYPES = ['ONE_OFF', 'DAILY', 'LIVE_IN'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['OPEN', 'CLOSED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type ApplicationStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED';

export interface CreateJobInput {
  jobType: JobType;
  /** ISO calendar date, YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  /** Local time of day, HH:MM. */
  startTime: string;
  endTime: string;
  address: string;
  city: string;
  latitude: number;
  longitude: number;
  /** Decimal amount kept as text (e.g. "120.00") so no float ever rounds money. */
  cost: string;
}

export interface Job extends CreateJobInput {
  id: string;
  /** Username of the parent who posted the job. */
  owner: string;
  status: JobStatus;
  createdOn: string;
  updatedOn: string;
}

export interface JobApplication {
  id: string;
  jobId: string;
  /** Username of the nanny who applied. */
  nanny: string;
  status: ApplicationStatus;
  createdOn: string;
  updatedOn: string;
  /** Present only while the application is DECLINED. */
  declineReason?: string;
}

export interface JobPage {
  items: Job[];
  /** Opaque; pass as `after` for the next page. Null on the last page. */
  cursor: string | null;
}

export interface Reservation {
  job: Job;
  application: JobApplication;
  /** The job's other applications that were still PENDING when the reservation committed. */
  otherPendingApplicationIds: string[];
}

export interface ReservationRelease {
  job: Job;
  application: JobApplication;
}

/** The job as the nanny may see it (see visibility.ts): without its address until the application is ACCEPTED. */
export type NannyApplication = JobApplication & { job: Job | Omit<Job, 'address'> };

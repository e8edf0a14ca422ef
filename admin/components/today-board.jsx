// The front desk's landing page: today per doctor, in time order, with status chips, tokens and
// one-click actions. It asks the server every 5 s (dashboard handler) and redraws only when what
// it shows has changed, so a WhatsApp booking, a payment or a consult starting shows up on its own.
import React, { useCallback, useEffect, useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Badge, Box, Button, H2, H4, Text } from '@adminjs/design-system';

const api = new ApiClient();
const REFRESH_MS = 5000;

const CHIPS = {
  requested: ['Requested', 'default'],
  tentative: ['Awaiting payment', 'secondary'],
  confirmed: ['Confirmed', 'primary'],
  checked_in: ['Waiting', 'info'],
  in_consult: ['In consultation', 'success'],
  completed: ['Done', 'light'],
  no_show: ['No-show', 'danger'],
  cancelled: ['Cancelled', 'light'],
};

const NEXT = {
  confirmed: [
    ['checkIn', 'Check in'],
    ['noShow', 'No-show'],
  ],
  no_show: [['overrideNoShow', 'Undo no-show']],
};

function Entry({ entry, onAction }) {
  const [label, variant] = CHIPS[entry.status] || [entry.status, 'default'];
  return (
    <Box
      flex
      alignItems="center"
      py="sm"
      style={{ borderBottom: '1px solid #eef0f3', gap: 8, flexWrap: 'wrap' }}
      data-testid={`board-entry-${entry.id}`}
    >
      <Text style={{ width: 48, fontWeight: 600 }}>{entry.time}</Text>
      <Text style={{ width: 44 }}>{entry.tokenNumber ? `#${entry.tokenNumber}` : ''}</Text>
      <Text style={{ flex: 1, minWidth: 140 }}>
        {entry.patient}
        {entry.walkIn ? ' · walk-in' : ''}
      </Text>
      <Badge variant={variant} data-status={entry.status}>
        {label}
      </Badge>
      {entry.holdLeftSeconds !== undefined ? (
        <Text variant="sm" color="grey60">
          hold {Math.ceil(entry.holdLeftSeconds / 60)} min · {entry.paid}
        </Text>
      ) : null}
      {(NEXT[entry.status] || []).map(([action, text]) => (
        <Button key={action} size="sm" variant="outlined" onClick={() => onAction(entry, action)}>
          {text}
        </Button>
      ))}
    </Box>
  );
}

const TodayBoard = () => {
  const [board, setBoard] = useState(null);
  const [failed, setFailed] = useState(false);
  const addNotice = useNotice();

  const load = useCallback(async () => {
    try {
      const response = await api.getDashboard();
      setFailed(false);
      setBoard((current) => (current && current.version === response.data.version ? current : response.data));
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const onAction = async (entry, actionName) => {
    const data = actionName === 'overrideNoShow' ? { to: 'checked_in' } : {};
    const response = await api.recordAction({
      resourceId: 'appointments',
      recordId: entry.id,
      actionName,
      method: 'post',
      data,
    });
    if (response.data.notice) addNotice(response.data.notice);
    load();
  };

  if (!board) return <Box variant="container">{failed ? 'The board could not load; retrying…' : 'Loading today…'}</Box>;
  return (
    <Box variant="container" data-testid="today-board" data-version={board.version}>
      <H2>
        Today · {board.date} · {board.clinicName}
      </H2>
      {failed ? <Text color="error">Offline — retrying…</Text> : null}
      {board.handoffs.length > 0 ? (
        <Box mb="lg" p="md" style={{ background: '#fff6e5', borderRadius: 6 }} data-testid="board-handoffs">
          <Text fontWeight="bold">
            {board.handoffs.length} chat{board.handoffs.length > 1 ? 's' : ''} waiting for a person —{' '}
            <a href={`${window.location.pathname.replace(/\/admin.*/, '/admin')}/pages/inbox`}>open the inbox</a>
          </Text>
        </Box>
      ) : null}
      <Box flex style={{ gap: 16, flexWrap: 'wrap' }}>
        {board.doctors.map((doctor) => (
          <Box
            key={doctor.id}
            p="lg"
            style={{ background: '#fff', border: '1px solid #e4e7eb', borderRadius: 8, flex: '1 1 360px' }}
            data-testid={`board-doctor-${doctor.id}`}
          >
            <H4 mb="sm">{doctor.name}</H4>
            <Text variant="sm" color="grey60" mb="md">
              {doctor.speciality} · {doctor.waiting} waiting · {doctor.inConsult} in consultation ·{' '}
              {doctor.entries.length} today
            </Text>
            {doctor.entries.length === 0 ? <Text color="grey60">No appointments today.</Text> : null}
            {doctor.entries.map((entry) => (
              <Entry key={entry.id} entry={entry} onAction={onAction} />
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
};

export default TodayBoard;

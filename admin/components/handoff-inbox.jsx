// The hand-off inbox: chats the bot handed to a person, newest waiting first, each with
// "hand back to the bot". Refreshes every 5 s so a new hand-off appears without a reload.
import React, { useCallback, useEffect, useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, H2, Text } from '@adminjs/design-system';

const api = new ApiClient();

const HandoffInbox = () => {
  const [chats, setChats] = useState(null);
  const addNotice = useNotice();
  const load = useCallback(async () => {
    const response = await api.getPage({ pageName: 'inbox' });
    setChats(response.data.chats || []);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);
  const handBack = async (chat) => {
    const response = await api.recordAction({
      resourceId: 'conversations',
      recordId: chat.id,
      actionName: 'handBack',
      method: 'post',
      data: {},
    });
    if (response.data.notice) addNotice(response.data.notice);
    load();
  };
  if (!chats) return <Box variant="container">Loading…</Box>;
  return (
    <Box variant="container" data-testid="handoff-inbox">
      <H2>Chats waiting for a person</H2>
      {chats.length === 0 ? <Text>No chats are waiting. The bot is handling everyone.</Text> : null}
      {chats.map((chat) => (
        <Box key={chat.id} flex alignItems="center" py="md" style={{ borderBottom: '1px solid #eef0f3', gap: 12 }}>
          <Text style={{ flex: 1 }}>
            {chat.phoneMasked} · waiting since {chat.since || '—'}
            {chat.reason ? ` · ${chat.reason}` : ''}
          </Text>
          <Button size="sm" variant="outlined" onClick={() => handBack(chat)}>
            Hand back to the bot
          </Button>
        </Box>
      ))}
    </Box>
  );
};

export default HandoffInbox;

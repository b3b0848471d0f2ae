-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: massiveteach-001_anonymized_forum
-- ------------------------------------------------------
-- Server version	5.5.40-0ubuntu0.14.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `forum_comments`
--

DROP TABLE IF EXISTS `forum_comments`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_comments` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `thread_id` int(11) NOT NULL,
  `post_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `post_time` int(11) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `comment_text` mediumtext NOT NULL,
  `user_agent` varchar(512) DEFAULT NULL,
  `text_type` enum('markdown','html') NOT NULL DEFAULT 'markdown',
  PRIMARY KEY (`id`),
  KEY `thread_id` (`thread_id`),
  KEY `post_id` (`post_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_comments`
--

LOCK TABLES `forum_comments` WRITE;
/*!40000 ALTER TABLE `forum_comments` DISABLE KEYS */;
INSERT INTO `forum_comments` VALUES (1,1,2,1742,1391500682,0,0,1,0,'Welcome! A class of 300 is a good starting point for the Week 3 discussion on lecture halls.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(2,2,6,1742,1392108291,0,0,0,0,'Good catch, thank you. See my reply below.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(3,2,5,2210,1392113133,0,0,0,0,'Can we use a course we have only taken, not taught?','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(4,3,9,1742,1393369336,1,0,0,0,'A lottery would give everyone the same odds. That is not what the numbers show.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(5,3,11,6030,1393403440,0,0,0,0,'So the answer is \'use the form\'. The form doesn\'t work on my tablet.','Mozilla/5.0 (iPad; CPU OS 7_1 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D167 Safari/9537.53','markdown'),(6,4,16,1742,1394622927,0,1,0,0,'The slides of my talk on peer assessment research are here: http://www.example.org/brandt/peer-assessment-slides.pdf','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown');
/*!40000 ALTER TABLE `forum_comments` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_forums`
--

DROP TABLE IF EXISTS `forum_forums`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_forums` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `parent_id` int(11) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `description` text NOT NULL,
  `type` enum('qna','forum') NOT NULL DEFAULT 'forum',
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `can_post` tinyint(1) NOT NULL DEFAULT '1',
  `show_threads` tinyint(1) NOT NULL DEFAULT '1',
  `resolved_tag` tinyint(1) NOT NULL DEFAULT '0',
  `display_order` int(11) NOT NULL DEFAULT '0',
  `open_time` int(11) NOT NULL DEFAULT '-1',
  `forum_moderators_only` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`),
  KEY `parent_id` (`parent_id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_forums`
--

LOCK TABLES `forum_forums` WRITE;
/*!40000 ALTER TABLE `forum_forums` DISABLE KEYS */;
INSERT INTO `forum_forums` VALUES (1,0,'General Discussion','Introductions and anything about the course.','forum',0,1,1,0,1,-1,0),(2,0,'Lectures','Questions and discussion about the video lectures.','forum',0,1,1,0,2,-1,0),(3,0,'Assignments & Peer Assessment','The weekly assignments, rubrics and peer grading.','qna',0,1,1,1,3,1391990400,0),(4,0,'Technical Issues','Problems with the site, videos or submissions.','qna',0,1,1,1,4,-1,0),(5,0,'Course Staff','Staff only.','forum',0,0,1,0,5,-1,1),(6,1,'Study Groups','Find learners near you.','forum',1,1,1,0,1,-1,0);
/*!40000 ALTER TABLE `forum_forums` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_posts`
--

DROP TABLE IF EXISTS `forum_posts`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_posts` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `thread_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `post_time` int(11) NOT NULL,
  `edit_time` int(11) NOT NULL DEFAULT '-1',
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `original` tinyint(1) NOT NULL DEFAULT '0',
  `stickied` tinyint(1) NOT NULL DEFAULT '0',
  `approved` tinyint(1) NOT NULL DEFAULT '1',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `post_text` mediumtext NOT NULL,
  `user_agent` varchar(512) DEFAULT NULL,
  `text_type` enum('markdown','html') NOT NULL DEFAULT 'markdown',
  PRIMARY KEY (`id`),
  KEY `thread_id` (`thread_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=20 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_posts`
--

LOCK TABLES `forum_posts` WRITE;
/*!40000 ALTER TABLE `forum_posts` DISABLE KEYS */;
INSERT INTO `forum_posts` VALUES (1,1,1742,1391416200,-1,0,0,1,1,1,0,1,'Welcome to Massive Teaching: new skills required!\n\nI\'m Tomas Brandt, and I\'ll be your instructor for the next ten weeks. This course is about what changes when a class has 40,000 students instead of 40: feedback, assessment, discussion, and the teacher\'s own role.\n\nPlease introduce yourself in this thread:\n\n* where you teach (or learn), and what;\n* the largest class you\'ve ever taught or attended;\n* one thing you\'d like to take away from this course.\n\nThe syllabus is on the course wiki. See you in the forums!\n\nTomas','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(2,1,2210,1391436131,-1,0,0,0,0,1,0,0,'Hi all, I teach chemistry at a secondary school. My biggest class so far was 300 people in a lecture hall during an exchange year. Looking forward to this!','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(3,1,5121,1391543130,-1,0,0,0,0,1,0,0,'Hello from a software developer who wants to become a better trainer. The largest class I ever attended is probably this one.','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.75.14 (KHTML, like Gecko) Version/7.0.3 Safari/537.75.14','markdown'),(4,1,7748,1391569968,-1,0,1,0,0,1,0,0,'Need help with your peer assignments??? Professional essay writers, 100% original, cheap prices!!! Visit www.example.org/essays-cheap','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(5,2,1742,1392022800,1392135645,0,0,1,0,1,0,1,'<p>The Week 2 assignment asks you to <strong>design a peer-graded task</strong> for a course you teach or know well.</p>\n<ul>\n<li>Describe the task and its learning goals (300 to 500 words).</li>\n<li>Write a rubric with 3 to 5 criteria &amp; their weights.</li>\n<li>Explain how you would calibrate the graders.</li>\n</ul>\n<p>Read the <a href=\"/massiveteach-001/wiki/view?page=rubrics\">rubric guide</a> before you start. Deadline: Sunday 16 February, 23:59 UTC.</p>','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','html'),(6,2,3385,1392067029,-1,0,0,0,0,1,0,1,'Do we grade four peers or five? The instructions page says four and the assignment page says five.','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(7,2,1742,1392192340,-1,0,0,0,0,1,0,0,'Five. You grade five submissions and each of yours is graded by five peers; the median counts. If you grade fewer than five, your own score gets a 20% penalty, as the rules page says. I have fixed the instructions page.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(8,3,3385,1393266782,-1,0,0,1,0,1,0,0,'Peer grading is unfair. One reviewer gave my essay 2/10 with the comment \"bad\". How is that feedback? I spent ten hours on this essay.','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(9,3,6030,1393279857,-1,0,0,0,0,1,0,0,'Same here. Peer grading is a lottery: whether you pass depends on who you get, not on what you wrote.','Mozilla/5.0 (iPad; CPU OS 7_1 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D167 Safari/9537.53','markdown'),(11,3,1742,1393350483,-1,0,0,0,0,1,0,-2,'We have read every message in this thread. Peer grading at this scale is imperfect, and we will discuss it in Week 6. Regrade requests go through the form on the Assignments page.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(12,4,5121,1394454014,-1,0,0,1,0,1,0,0,'Is this course an experiment on us? A friend in the same course sees a different deadline page and got different reminder e-mails. Are we being A/B tested without being told?','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.75.14 (KHTML, like Gecko) Version/7.0.3 Safari/537.75.14','markdown'),(13,4,1742,1394481757,-1,0,0,0,0,0,0,0,'Fair question. The platform runs experiments on course pages, for example different reminder e-mails or page layouts. I was not told which ones run in this course, and I have asked. I will post here what I learn.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(14,4,1742,1394523115,-1,0,0,0,0,0,0,0,'Follow-up: I still have no list of the experiments. If you want to know what is recorded about you, you can ask the platform directly; in Europe you have a right of access to your personal data.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(16,4,2210,1394615021,-1,0,0,0,0,1,0,0,'Is there an answer from the staff? The thread says there are replies but I cannot see them.','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(17,5,40117,1396864800,-1,0,0,1,0,1,0,0,'Reminder: the final peer assessment closes on Sunday 13 April at 23:59 UTC. Statements of Accomplishment will be sent within two weeks after the course ends.\n\nThe course team','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.75.14 (KHTML, like Gecko) Version/7.0.3 Safari/537.75.14','markdown'),(18,5,1742,1396985172,-1,0,0,0,0,1,0,1,'Thank you all for ten intense weeks 🙏 Whatever happens to this course, keep the discussions going: the best material in it was written by you. Good luck with the final assessment!','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(19,5,6030,1397031170,-1,0,0,0,0,1,0,0,'Thank you, Dr. Brandt. The best course I took this year, peer grading drama included.','Mozilla/5.0 (iPad; CPU OS 7_1 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D167 Safari/9537.53','markdown');
/*!40000 ALTER TABLE `forum_posts` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_reporting`
--

DROP TABLE IF EXISTS `forum_reporting`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_reporting` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) NOT NULL,
  `report_type` enum('inappropriate','technical') NOT NULL,
  `item_type` enum('post','comment') NOT NULL,
  `item_id` int(11) NOT NULL,
  `description` text,
  `timestamp` int(11) NOT NULL DEFAULT '-1',
  PRIMARY KEY (`id`),
  KEY `item` (`item_type`,`item_id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_reporting`
--

LOCK TABLES `forum_reporting` WRITE;
/*!40000 ALTER TABLE `forum_reporting` DISABLE KEYS */;
INSERT INTO `forum_reporting` VALUES (1,1742,'inappropriate','post',4,'Advertising for an essay-writing service, not course related.',1391586019),(2,3385,'inappropriate','post',10,'Dismissive reply to a grading complaint.',1393326170),(3,6030,'inappropriate','comment',4,'Sarcastic reply to my post.',1393487713),(4,5121,'inappropriate','post',13,'Speculation about the platform, not about the course.',1394491625),(5,5121,'inappropriate','post',15,'Doesn\'t belong in the course forum.',1394612190);
/*!40000 ALTER TABLE `forum_reporting` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_reputation_record`
--

DROP TABLE IF EXISTS `forum_reputation_record`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_reputation_record` (
  `user_id` int(11) NOT NULL,
  `pc_id` int(11) NOT NULL,
  `type` enum('post','comment') NOT NULL,
  `direction` tinyint(4) NOT NULL,
  `timestamp` int(11) NOT NULL DEFAULT '-1',
  PRIMARY KEY (`user_id`,`pc_id`,`type`),
  KEY `pc` (`type`,`pc_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_reputation_record`
--

LOCK TABLES `forum_reputation_record` WRITE;
/*!40000 ALTER TABLE `forum_reputation_record` DISABLE KEYS */;
INSERT INTO `forum_reputation_record` VALUES (2210,1,'post',1,1391436220),(2210,1,'comment',1,1391505002),(1742,6,'post',1,1392108330),(5121,5,'post',1,1392229200),(3385,11,'post',-1,1393351511),(6030,11,'post',-1,-1),(2210,18,'post',1,1396990807);
/*!40000 ALTER TABLE `forum_reputation_record` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_threads`
--

DROP TABLE IF EXISTS `forum_threads`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_threads` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `forum_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `posted_time` int(11) NOT NULL,
  `last_updated_time` int(11) NOT NULL,
  `last_updated_user` int(11) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `stickied` tinyint(1) NOT NULL DEFAULT '0',
  `approved` tinyint(1) NOT NULL DEFAULT '1',
  `unresolved` tinyint(1) NOT NULL DEFAULT '0',
  `instructor_replied` tinyint(1) NOT NULL DEFAULT '0',
  `num_posts` int(11) NOT NULL DEFAULT '0',
  `num_views` int(11) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `locked` tinyint(1) NOT NULL DEFAULT '0',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `title` varchar(255) NOT NULL,
  `triage_sync_status` tinyint(4) NOT NULL DEFAULT '0',
  `triage_status` varchar(32) DEFAULT NULL,
  `private` tinyint(1) NOT NULL DEFAULT '0',
  `problem_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `forum_id` (`forum_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_threads`
--

LOCK TABLES `forum_threads` WRITE;
/*!40000 ALTER TABLE `forum_threads` DISABLE KEYS */;
INSERT INTO `forum_threads` VALUES (1,1,1742,1391416200,1391569968,7748,0,0,1,1,0,1,4,4127,1,0,0,'Welcome to Massive Teaching – introduce yourself',0,NULL,0,NULL),(2,3,1742,1392022800,1392192340,1742,0,0,0,1,0,1,3,1893,1,0,0,'Week 2 assignment: designing a peer-graded task',0,NULL,0,NULL),(3,3,3385,1393266782,1393403440,6030,0,0,0,1,1,1,3,2260,0,1,0,'Peer grading is unfair - my essay got 2/10',0,NULL,0,NULL),(4,1,5121,1394454014,1394622927,1742,0,0,0,1,1,1,4,3012,0,0,0,'Is this course an experiment on us?',0,NULL,0,NULL),(5,1,40117,1396864800,1397031170,6030,0,0,0,1,0,1,3,1540,0,0,0,'Final week: deadlines and Statements of Accomplishment',0,NULL,0,NULL);
/*!40000 ALTER TABLE `forum_threads` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2016-11-18 16:05:33
